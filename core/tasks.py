from celery import shared_task

from core.services import heartbeat_record


@shared_task
def heartbeat() -> None:
    """Run by beat every minute; proves that beat, broker and a worker all work."""
    heartbeat_record()
