"""Reads of the employee spotlights. The public ones are published and carry standing consent: nothing else."""

from django.db.models import QuerySet

from accounts.roles import has_permission
from councils.models import Spotlight

PUBLISH = "councils.publish_spotlights"


def spotlights_public() -> QuerySet[Spotlight]:
    """What customers may read at /spotlights/: published, consented, not withdrawn."""
    return (
        Spotlight.objects.filter(
            status=Spotlight.Status.PUBLISHED, consent_at__isnull=False, consent_withdrawn_at__isnull=True
        )
        .select_related("employee")
        .order_by("-published_at", "-id")
    )


def spotlights_all() -> QuerySet[Spotlight]:
    return Spotlight.objects.select_related("employee").order_by("-updated_at", "-id")


def spotlights_of(*, employee) -> QuerySet[Spotlight]:
    return Spotlight.objects.filter(employee=employee).order_by("-updated_at", "-id")


def spotlight_may_write(user) -> bool:
    return has_permission(user, PUBLISH)


def spotlight_photo_visible(*, user, spotlight: Spotlight) -> bool:
    """The photo: to anyone once public; before that to its writers and the employee."""
    if spotlights_public().filter(pk=spotlight.pk).exists():
        return True
    return bool(user and user.is_authenticated) and (spotlight.employee_id == user.pk or spotlight_may_write(user))
