from celery import shared_task

from insights import rollups, services


@shared_task
def rollups_refresh_task() -> dict:
    """Beat runs this every INSIGHTS_ROLLUP_SECONDS; a rerun or a killed run converges."""
    return rollups.rollups_refresh()


@shared_task
def term_rematch_task(term_id: int) -> int:
    """After a term's query changed: re-match past mentions (chunked, safe to run twice)."""
    return services.term_rematch(term_id=term_id)
