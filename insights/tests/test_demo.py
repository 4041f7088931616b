from datetime import UTC, datetime, timedelta

import pytest

from insights.demo import SPIKE_DAYS_AGO, demo_insights_seed
from insights.models import Alert

pytestmark = pytest.mark.django_db


def test_the_demo_spike_raises_its_alerts_when_seeded():
    demo_insights_seed()
    now = datetime.now(UTC)
    earliest, latest = now - timedelta(days=SPIKE_DAYS_AGO[1] + 1), now - timedelta(days=SPIKE_DAYS_AGO[0] - 1)
    alerts = Alert.objects.filter(term__name="Carl's Soda", opened_at__range=(earliest, latest))
    assert set(alerts.values_list("kind", flat=True)) == {Alert.Kind.VOLUME_SPIKE, Alert.Kind.NEGATIVE_SURGE}
    assert all(alert.mentions.exists() for alert in alerts)


def test_the_demo_has_findings_in_every_status_across_departments(demo_users):
    from accounts.services import demo_departments_seed
    from insights.demo import demo_findings_seed
    from insights.models import Finding
    from insights.selectors.findings import findings_board

    demo_departments_seed()
    demo_insights_seed(mentions=400)
    assert demo_findings_seed()["findings"] == 7
    assert set(Finding.objects.values_list("status", flat=True)) == set(Finding.Status.values)
    assert set(Finding.objects.values_list("departments__slug", flat=True)) == {
        "marketing",
        "pr",
        "customer-service",
        "product-design",
    }
    assert any(finding.is_overdue for finding in findings_board())
    assert Finding.objects.get(status="declined").decline_reason
    assert demo_findings_seed() == {"findings": 0}  # seeded again: nothing new


def test_the_demo_leaves_mentions_triaged_with_threads_and_realistic_response_times(demo_users):
    from django.db.models import F

    from accounts.services import demo_departments_seed
    from insights.models import Mention, MentionAction

    demo_departments_seed()
    demo_insights_seed(mentions=3000)
    statuses = set(Mention.objects.values_list("status", flat=True))
    assert statuses == {"new", "assigned", "routed", "responded", "no_action"}
    routed_to = set(Mention.objects.filter(department__isnull=False).values_list("department__slug", flat=True))
    assert routed_to == {"marketing", "pr", "customer-service", "product-design"}
    answered = Mention.objects.filter(first_response_at__isnull=False, response_due_at__isnull=False)
    within = answered.filter(first_response_at__lte=F("response_due_at")).count()
    assert 0.6 < within / answered.count() < 0.95  # most within the channel's target, some late
    overdue = Mention.objects.filter(first_response_at__isnull=True, response_due_at__lt=datetime.now(UTC))
    assert overdue.filter(status__in=["new", "assigned"]).exists()
    ana = demo_users["ana.insights"]
    assert not Mention.objects.exclude(status="new").exclude(actions__actor=ana).exists()  # each has its thread
    assert (
        MentionAction.objects.filter(kind="responded", actor=ana).count()
        == answered.count()
        + Mention.objects.filter(first_response_at__isnull=False, response_due_at__isnull=True).count()
    )
