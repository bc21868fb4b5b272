"""Shared pytest configuration: every test runs with a deterministic clock argument, never the wall clock."""
