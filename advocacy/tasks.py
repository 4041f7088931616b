from celery import shared_task

from advocacy.models import Membership
from advocacy.services.activities import badges_award
from advocacy.services.invitations import invitations_expire


@shared_task
def invitations_expire_task() -> dict:
    """Hourly: expire lapsed invitations and pass lapsed waitlist offers on. Safe to run twice."""
    return invitations_expire()


@shared_task
def badges_award_task(membership_id: int) -> int:
    """Award the badges a member's new activity completed. Safe to run twice."""
    membership = Membership.objects.filter(pk=membership_id).first()
    return len(badges_award(membership)) if membership else 0
