"""The councils' Celery tasks: a few lines over a service each, safe to run twice."""

from celery import shared_task

from councils.services.meetings import meeting_invitations_send, meeting_reminders_send
from councils.services.seats import seats_reconcile


@shared_task
def seats_reconcile_task() -> dict:
    """Every 15 minutes: vacate seats a lost signal left held (not an active ambassador, Brand term gone,
    term ended) and expire lapsed nominations. Safe to run twice."""
    return seats_reconcile()


@shared_task
def meeting_reminders_task() -> int:
    """Every few minutes: the week and day reminders that are due, each sent once (claimed in the database)."""
    return meeting_reminders_send()


@shared_task
def meeting_invitations_task(meeting_id: int) -> int:
    """After a meeting is scheduled (or executives are added): email each new attendee once."""
    return meeting_invitations_send(meeting_id=meeting_id)
