"""Writes that mean something to the councils, one module per part: seats, meetings, reports, spotlights."""
