"""The councils' Celery tasks: a few lines over a service each, safe to run twice."""

from celery import shared_task

from councils.services.meetings import meeting_reminders_send


@shared_task
def meeting_reminders_task() -> int:
    """Every few minutes: the week and day reminders that are due, each sent once (claimed in the database)."""
    return meeting_reminders_send()
