"""Insights: pure computations over the canonical frames (no I/O; `now` is always passed in)."""
