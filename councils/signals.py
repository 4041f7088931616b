"""What the councils hear from the apps below them (DESIGN.md, "Between apps")."""

import logging

from django.dispatch import receiver

from advocacy.signals import membership_ended
from councils.services.seats import seats_on_membership_ended

logger = logging.getLogger(__name__)


@receiver(membership_ended, dispatch_uid="councils_seats_on_membership_ended")
def vacate_seats_of_former_ambassador(sender, membership, user, kind, reason="", **kwargs):
    """An ambassador left the program: their brand-advocate seats, and those depending on them, fall vacant.

    It runs after the program's transaction committed; if it fails, the beat's reconciliation
    (councils.tasks.seats_reconcile_task) vacates the seats later, so the error is logged, not raised.
    """
    try:
        seats_on_membership_ended(user=user, kind=kind, reason=reason)
    except Exception:
        logger.exception("could not vacate the council seats of user %s", getattr(user, "pk", None))
