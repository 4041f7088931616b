from celery import shared_task
from django.conf import settings

from insights.services import (
    alerts,
    csv_import,
    feeds,
    responses,
    rollups,
    sentiment_models,
    sentiment_rescore,
    terms,
)


@shared_task
def rollups_refresh_task() -> dict:
    """Beat runs this every INSIGHTS_ROLLUP_SECONDS; a rerun or a killed run converges."""
    return rollups.rollups_refresh()


@shared_task
def term_rematch_task(term_id: int) -> int:
    """After a term's query changed: re-match past mentions (chunked, safe to run twice)."""
    return terms.term_rematch(term_id=term_id)


@shared_task
def feeds_poll_due_task() -> int:
    """Beat runs this every minute: queue a poll for each feed that is due (a second run skips the feeds the
    first claimed)."""
    return feeds.feeds_poll_due()


# A fetch has its own deadline (INSIGHTS_FEED_TIMEOUT_SECONDS); these bound parsing and ingest as well.
@shared_task(soft_time_limit=120, time_limit=150)
def feed_poll_task(feed_id: int) -> dict:
    """Poll one feed (queued by feeds_poll_due_task). Safe to run twice: ingest is idempotent."""
    return feeds.feed_poll(feed_id=feed_id)


@shared_task
def alerts_evaluate_task() -> dict:
    """Beat, every minute: open, extend or close alerts over the 60 minutes up to now."""
    return alerts.alerts_evaluate()


@shared_task
def alert_email_task(alert_id: int) -> int:
    """A new alert, to the subscribers who want it at once; sends nobody a mail twice."""
    return alerts.alert_email_send(alert_id=alert_id)


@shared_task
def alerts_digest_task() -> int:
    """Beat, hourly: one email per digest subscriber with the alerts they have not had."""
    return alerts.alerts_digest_send()


@shared_task
def imports_cancel_abandoned_task() -> int:
    """Beat, daily: cancel uploads left waiting for their mapping too long, deleting their files. Safe to run twice."""
    return csv_import.imports_cancel_abandoned()


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def csv_import_task(self, upload_id: int) -> None:
    """Import an uploaded CSV of mentions in chunks. Safe to run twice: a rerun resumes after the last chunk stored."""
    from celery.exceptions import SoftTimeLimitExceeded

    try:
        csv_import.import_run(upload_id=upload_id)
    except SoftTimeLimitExceeded:
        raise self.retry(countdown=0, max_retries=20) from None  # a very long file: a fresh run resumes it
    except Exception as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            csv_import.import_fail(upload_id=upload_id, error=f"The import stopped on an unexpected error: {exc}")
            raise
        raise self.retry(exc=exc) from exc


@shared_task
def overdue_notices_task() -> int:
    """Beat, every minute: claim the mentions that became overdue and queue their emails (never twice)."""
    return responses.overdue_notices_queue()


@shared_task
def overdue_email_task(mention_id: int, user_id: int) -> bool:
    """One overdue email, to the assignee or the channel's owner."""
    return responses.overdue_email_send(mention_id=mention_id, user_id=user_id)


@shared_task
def sentiment_train_if_due_task() -> int | None:
    """After a correction: train a new sentiment version once INSIGHTS_SENTIMENT_RETRAIN_AFTER labels arrived since
    the last one. Safe to run twice: one training at a time, and a second run finds nothing new."""
    version = sentiment_models.sentiment_train_if_due()
    return version.pk if version else None


@shared_task
def sentiment_train_nightly_task() -> int | None:
    """Beat, nightly: train a new sentiment version if any label was set since the last one."""
    version = sentiment_models.sentiment_train_if_due(min_new=1)
    return version.pk if version else None


@shared_task
def sentiment_rescore_task(version: int | None) -> dict:
    """After a scorer became active (`version`, None: VADER): re-score the unlabelled mentions in batches. Resumable,
    safe to run twice and after a killed worker (each batch commits with its progress); queues its continuation after
    INSIGHTS_SENTIMENT_RESCORE_SECONDS, and stops when another scorer became active."""
    result = sentiment_rescore.sentiment_rescore(
        version=version, max_seconds=settings.INSIGHTS_SENTIMENT_RESCORE_SECONDS
    )
    if result["status"] == sentiment_rescore.MORE:
        sentiment_rescore_task.delay(version)
    return result


@shared_task
def sentiment_rescore_resume_task() -> bool:
    """Beat, every few minutes: queue the active scorer's re-scoring again if it has not finished."""
    return sentiment_rescore.sentiment_rescore_resume()
