"""Two workers running the overdue task at once never claim, nor email, the same mention: PostgreSQL, with a real
second connection."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from insights.models import Channel, Mention
from insights.services.ingest import mentions_ingest
from insights.services.responses import overdue_notices_queue
from insights.tests.factories import item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_second_worker_skips_the_mentions_the_first_holds(make_user, time_machine):
    owner = make_user(email="olu.owner@rapport.example", roles=[Role.INSIGHTS_STAFF])
    Channel.objects.filter(slug="twitter").update(response_target_minutes=60, owner=owner)
    published = timezone.now() - timedelta(minutes=10)
    mentions_ingest([item(n, published_at=published.isoformat()) for n in (1, 2)])
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    second = {}

    def second_worker():
        try:
            second["claimed"] = overdue_notices_queue()
        finally:
            connection.close()

    with transaction.atomic():
        assert overdue_notices_queue() == 2  # holds both rows until this transaction commits
        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the second worker waited instead of skipping the locked rows"
    assert second["claimed"] == 0
    assert len(mail.outbox) == 2
    assert Mention.objects.filter(overdue_notified_at__isnull=True).count() == 0
    assert overdue_notices_queue() == 0
