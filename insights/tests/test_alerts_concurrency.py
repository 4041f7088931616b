"""Acknowledge and close lock the alert: PostgreSQL, with a real second connection."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from insights.models import Alert
from insights.services.alerts import AlertClosed, alert_acknowledge, alert_close
from insights.tests.factories import TermFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_acknowledgement_waiting_on_a_close_sees_the_alert_closed(make_user):
    ana, sam = make_user("ana.insights"), make_user(email="sam.insights@carlssoda.example")
    moment = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    alert = Alert.objects.create(
        term=TermFactory(), kind=Alert.Kind.VOLUME_SPIKE, opened_at=moment, last_seen_at=moment, observed=30, baseline=1
    )
    stale = Alert.objects.get(pk=alert.pk)  # what the acknowledging page loaded: still open
    outcome = {}
    closing_holds_the_row, acknowledging_started = threading.Event(), threading.Event()

    def acknowledge():
        closing_holds_the_row.wait()
        acknowledging_started.set()
        try:
            alert_acknowledge(alert=stale, by=sam)
            outcome["result"] = "acknowledged"
        except AlertClosed:
            outcome["result"] = "refused: closed"
        finally:
            connection.close()

    thread = threading.Thread(target=acknowledge)
    thread.start()
    with transaction.atomic():
        alert_close(alert=alert, by=ana)  # holds the row lock until this transaction commits
        closing_holds_the_row.set()
        acknowledging_started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the acknowledgement did not wait for the close"
    thread.join(timeout=10)
    assert outcome["result"] == "refused: closed"
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by, alert.acknowledged_by) == (Alert.Status.CLOSED, ana, None)
