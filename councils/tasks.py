from celery import shared_task

from councils.services.seats import seats_reconcile


@shared_task
def seats_reconcile_task() -> dict:
    """Every 15 minutes: vacate seats a lost signal left held (not an active ambassador, Brand term gone,
    term ended) and expire lapsed nominations. Safe to run twice."""
    return seats_reconcile()
