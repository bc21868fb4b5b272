"""Open Sales Insights for Dataverse: the connector (sync, insights and write-back)."""

__version__ = "0.1.0"
