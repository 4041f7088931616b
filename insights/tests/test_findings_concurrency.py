"""Every change locks the finding: two concurrent moves never both apply (PostgreSQL, a real second connection)."""

import threading

import pytest
from django.db import connection, transaction

from insights.models import Finding, FindingEvent
from insights.services.findings import FindingTransitionRefused, finding_status_set

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_decline_waiting_on_a_move_to_done_is_refused(teams, write_finding):
    finding = write_finding()
    Finding.objects.filter(pk=finding.pk).update(status=Finding.Status.IN_PROGRESS)
    stale = Finding.objects.get(pk=finding.pk)  # what the declining page loaded: still in progress
    outcome = {}
    done_holds_the_row, declining_started = threading.Event(), threading.Event()

    def decline():
        done_holds_the_row.wait()
        declining_started.set()
        try:
            finding_status_set(finding=stale, status="declined", by=teams.ana, reason="Not ours.")
            outcome["result"] = "declined"
        except FindingTransitionRefused:
            outcome["result"] = "refused"
        finally:
            connection.close()

    thread = threading.Thread(target=decline)
    thread.start()
    with transaction.atomic():
        finding_status_set(finding=finding, status="done", by=teams.service.member)  # holds the row lock
        done_holds_the_row.set()
        declining_started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the decline did not wait for the move to done"
    thread.join(timeout=10)
    assert outcome["result"] == "refused"
    finding.refresh_from_db()
    assert (finding.status, finding.decline_reason) == (Finding.Status.DONE, "")
    assert list(finding.events.values_list("kind", flat=True)) == [FindingEvent.Kind.CREATED, FindingEvent.Kind.STATUS]
