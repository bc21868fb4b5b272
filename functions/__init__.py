"""Thin trigger adapters: the only code that imports ``azure.functions``."""
