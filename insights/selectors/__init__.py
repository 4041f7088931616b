"""Reads of the listening half that pages, the API, the dashboard and reports share; one module per area."""
