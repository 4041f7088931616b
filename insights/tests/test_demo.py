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
