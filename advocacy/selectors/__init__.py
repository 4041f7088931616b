"""Reads of the ambassador program that pages, the API and the staff dashboard share."""
