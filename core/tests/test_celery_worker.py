"""A real Celery worker, on the configured broker (Redis in CI, the embedded one locally)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from core.models import Heartbeat
from core.tasks import heartbeat


@pytest.fixture
def through_the_broker():
    """Send tasks to the broker instead of running them inline, as the tests otherwise do."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("through_the_broker")
def test_a_worker_takes_the_heartbeat_from_the_broker_and_records_it():
    queue = f"test-{uuid.uuid4().hex[:12]}"  # our own queue: no other worker takes the task
    with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=20):
        heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 15
        while not Heartbeat.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert Heartbeat.objects.count() == 1


def test_tasks_are_acknowledged_late_and_requeued_if_a_worker_dies():
    # A worker killed mid-task must not lose it: the message stays unacknowledged.
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
