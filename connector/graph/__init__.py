"""Microsoft Graph client: users and mailbox message metadata."""

from connector.graph.client import GraphClient, GraphRequest, GraphResponse

__all__ = ["GraphClient", "GraphRequest", "GraphResponse"]
