"""Dataverse Web API client: queries, paging, change tracking, writes, $batch and metadata."""

from connector.dataverse.batch import BatchOperation, BatchResult
from connector.dataverse.changes import ChangeBatch
from connector.dataverse.client import DataverseClient
from connector.dataverse.pager import Pager

__all__ = ["BatchOperation", "BatchResult", "ChangeBatch", "DataverseClient", "Pager"]
