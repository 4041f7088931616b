from celery import shared_task

from advocacy.selectors.discovery import advocate_candidates
from advocacy.services.activities import badges_refresh
from advocacy.services.invitations import invitations_expire


@shared_task
def invitations_expire_task() -> dict:
    """Hourly: expire lapsed invitations and pass lapsed waitlist offers on. Safe to run twice."""
    return invitations_expire()


@shared_task
def badges_refresh_task() -> int:
    """Every few minutes: badges that referral clicks completed. Safe to run twice."""
    return badges_refresh()


@shared_task
def candidates_refresh_task() -> int:
    """Every few minutes: recompute advocate discovery's cached ranking, so no page waits for it. Safe to run twice."""
    return len(advocate_candidates(limit=1, fresh=True))
