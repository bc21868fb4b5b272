"""One module per insight: its producer declaration (see :mod:`connector.pipeline.contract`)."""
