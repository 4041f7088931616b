"""Writes of the ambassador program, one module per area (DESIGN.md: one function, one transaction)."""

from django.core.exceptions import ValidationError
from django.db import models


def field_validate(model: type[models.Model], field: str, value, *, name: str | None = None) -> None:
    """Run one model field's validators (its maximum length, no NUL…) on a value that a service writes
    with save(update_fields=…), not full_clean(). ValidationError naming `name` (the field's by default)."""
    try:
        model._meta.get_field(field).run_validators(value)
    except ValidationError as exc:
        raise ValidationError({name or field: exc.messages}) from None
