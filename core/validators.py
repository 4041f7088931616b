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


def text_clean(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """A text a person typed, stripped and checked for the services: required, at most `max_length`
    characters, no NUL (which PostgreSQL cannot store). Raises ValidationError keyed by `field`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This field is required."})
    if len(value) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    if "\x00" in value:
        raise ValidationError({field: "This text contains a character that cannot be stored."})
    return value
