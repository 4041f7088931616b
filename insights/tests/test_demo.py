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
