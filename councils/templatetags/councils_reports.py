"""Filters for the quarterly reports, whose figures are stored as JSON (dates as ISO 8601 strings)."""

from django import template
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


@register.filter
def iso(value):
    """An ISO 8601 date or datetime string as a date or datetime, for the `date` filter; anything else as is."""
    if not isinstance(value, str):
        return value
    return parse_datetime(value) or parse_date(value) or value


@register.filter
def pct(value) -> str:
    """0.4521 → "45%"; None → "—"."""
    return "—" if value is None else f"{value:.0%}"


@register.filter
def signed(value) -> str:
    """A net sentiment or score with its sign: +0.37, −0.12; None → "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:+.2f}".replace("-", "−")
    return f"{value:+d}".replace("-", "−")


@register.filter
def change(pair) -> str:
    """A {"current", "previous"} pair's change as text: "+12", "−3", "" when either is missing."""
    try:
        now, before = pair["current"], pair["previous"]
    except (KeyError, TypeError):
        return ""
    if now is None or before is None:
        return ""
    delta = now - before
    if isinstance(delta, float):
        return f"{delta:+.2f}".replace("-", "−")
    return f"{delta:+d}".replace("-", "−")


@register.filter
def label(value) -> str:
    return str(value).replace("_", " ").capitalize()
