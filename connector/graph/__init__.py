"""Microsoft Graph client: users and mailbox message metadata."""

from connector.graph.client import GraphClient

__all__ = ["GraphClient"]
