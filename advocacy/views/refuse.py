"""When a POST-only action (a button on a page, with a field or two) gets input it refuses."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpResponse


def refused(request, form: forms.Form, page: Callable[..., HttpResponse]) -> HttpResponse:
    """The page the action was sent from, with what was wrong as messages that name the field, answered 400.

    Nothing was written: the action's form was invalid before any service ran.
    """
    for name, errors in form.errors.items():
        label = form.fields[name].label or name.replace("_", " ").capitalize() if name in form.fields else None
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    response = page(request)
    response.status_code = 400
    return response
