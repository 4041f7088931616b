from celery import shared_task

from advocacy.services.invitations import invitations_expire


@shared_task
def invitations_expire_task() -> dict:
    """Hourly: expire lapsed invitations and pass lapsed waitlist offers on. Safe to run twice."""
    return invitations_expire()
