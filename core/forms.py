"""Form plumbing shared by every app's views."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def form_add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, field_for: Callable[[str], str] = str
) -> None:
    """Show a service's ValidationError on `form`.

    Errors about a field the form has go on that field (`field_for` maps a service's field name to
    the form's); everything else, including a ValidationError that carries only a message, becomes
    a non-field error, so no service error can crash a view.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        name = field_for(key)
        form.add_error(name if name in form.fields else None, errors)
