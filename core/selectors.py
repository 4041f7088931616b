from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from core.models import WORKER_HEARTBEAT, Heartbeat


def health_report() -> tuple[bool, dict]:
    """Check the database, the broker and the age of the last heartbeat.

    Returns (healthy, report); each part says "ok" or why it is not.
    """
    report: dict = {}
    healthy = True

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        healthy = False
        report["database"] = f"down: {exc.__class__.__name__}"

    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        report["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        healthy = False
        report["broker"] = f"down: {exc.__class__.__name__}"

    if report["database"] == "ok":
        beat = Heartbeat.objects.filter(name=WORKER_HEARTBEAT).first()
        if beat is None:
            healthy = False
            report["heartbeat"] = {"status": "never run", "age_seconds": None}
        else:
            age = round(beat.age_seconds(), 1)
            fresh = age <= settings.HEARTBEAT_MAX_AGE
            healthy = healthy and fresh
            report["heartbeat"] = {"status": "ok" if fresh else "stale", "age_seconds": age}
    else:
        report["heartbeat"] = {"status": "unknown", "age_seconds": None}
    return healthy, report
