"""The councils' pages, one module per part (seats, meetings, reports, spotlights)."""
