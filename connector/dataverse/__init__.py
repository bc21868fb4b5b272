"""Dataverse Web API client: queries, paging, change tracking, writes, $batch and metadata."""
