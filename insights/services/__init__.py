"""Writes of the listening half, one module per area; every source of mentions goes through `ingest.mentions_ingest`."""
