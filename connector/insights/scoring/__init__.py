"""Predictive lead and opportunity scoring."""
