"""Sync: streams, change-tracked extract, local snapshot, diff-and-batch load, run state."""
