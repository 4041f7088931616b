from celery import shared_task

from accounts.services import notification_digests_send, notifications_email_send


@shared_task
def notifications_email_task(notification_ids: list[int]) -> int:
    """Email these notifications to their people; a rerun sends nobody a mail twice."""
    return notifications_email_send(notification_ids=notification_ids)


@shared_task
def notification_digests_task() -> int:
    """Once a day: each opted-in user's digest of unread notifications; a rerun the same day sends nothing."""
    return notification_digests_send()
