"""The points ledger: every activity that earns points is recorded here, once."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from advocacy.models import Activity, Membership


@transaction.atomic
def activity_record(
    *, membership: Membership, kind: str, key: str, at=None, kit=None, channel=None, url: str = "", held: bool = False
) -> Activity | None:
    """Record one activity with the points its kind earns now; None when `key` was already counted.

    `held` activities (flagged by the fraud controls) earn nothing until staff clear them.
    """
    activity, created = Activity.objects.get_or_create(
        membership=membership,
        kind=kind,
        key=key[:200],
        defaults={
            "points": settings.ADVOCACY_POINTS[kind],
            "at": at or timezone.now(),
            "kit": kit,
            "channel": channel,
            "url": url,
            "held": held,
        },
    )
    return activity if created else None
