from celery import shared_task

from accounts.services import notifications_email_send


@shared_task
def notifications_email_task(notification_ids: list[int]) -> int:
    """Email these notifications to their people; a rerun sends nobody a mail twice."""
    return notifications_email_send(notification_ids=notification_ids)
