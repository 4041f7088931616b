from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince

register = template.Library()

RELATIVE_FOR = timedelta(days=1)


@register.filter
def bootstrap_widget(field):
    """Render a bound field's widget with Bootstrap's class and ARIA error hints."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)  # a Textarea has none
    if input_type in ("checkbox", "radio"):
        css = "form-check-input"
    elif input_type == "select":
        css = "form-select"
    else:
        css = "form-control"
    classes = " ".join(filter(None, [css, widget.attrs.get("class", ""), "is-invalid" if field.errors else ""]))
    attrs = {"class": classes}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.id_for_label}-errors"})
    return field.as_widget(attrs=attrs)


@register.filter(expects_localtime=True)
def when(value):
    """A moment as people read it: "3 minutes ago" within the last day, else the project's DATETIME_FORMAT.

    A day (a `date`) shows as DATE_FORMAT; the future always as a date.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return date_format(value)
    age = timezone.now() - value
    if timedelta(0) <= age < RELATIVE_FOR:
        return "just now" if age < timedelta(minutes=1) else f"{timesince(value, depth=1)} ago"
    return date_format(value, "DATETIME_FORMAT")
