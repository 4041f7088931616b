"""Validators that every app's inputs share."""

from datetime import date, datetime

from django.core.exceptions import ValidationError

# Dates Rapport accepts anywhere: wide enough for any archive, narrow enough that no computation on them
# overflows (a year-1 datetime with an offset cannot be turned into UTC; centuries of buckets fill memory).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
DATE_RANGE_MESSAGE = f"Must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."


def validate_sane_date(value: date | datetime) -> None:
    """Refuse a date or datetime outside EARLIEST_DATE–LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")
