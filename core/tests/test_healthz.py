from datetime import timedelta

import time_machine
from django.utils import timezone

from config.celery import app as celery_app
from core.tasks import heartbeat


def test_it_is_unhealthy_before_the_first_heartbeat(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"] == "ok"
    assert body["heartbeat"]["status"] == "never run"


def test_it_is_healthy_after_the_heartbeat_task_ran(client, db):
    heartbeat.delay()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "heartbeat": {"status": "ok", "age_seconds": body["heartbeat"]["age_seconds"]},
    }
    assert 0 <= body["heartbeat"]["age_seconds"] < 5


def test_it_reports_a_stale_heartbeat(client, db, settings):
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE + 60)):
        heartbeat.delay()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["heartbeat"]["status"] == "stale"


def test_it_reports_a_broker_that_is_down(client, db, monkeypatch):
    heartbeat.delay()
    # Nothing listens on port 9 of loopback: the broker is unreachable.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")


def test_running_the_heartbeat_twice_keeps_one_row(db):
    from core.models import Heartbeat

    heartbeat.delay()
    heartbeat.delay()
    assert Heartbeat.objects.count() == 1
