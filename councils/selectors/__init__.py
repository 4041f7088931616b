"""Reads the councils' pages, API and reports share, one module per part."""
