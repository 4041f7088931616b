"""Idempotence under concurrent requests: PostgreSQL, with real threads and connections."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from insights.models import Mention, MentionTerm
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_batch_sent_four_times_at_once_is_stored_once():
    TermFactory()
    batch = [item(n) for n in range(200)]
    start = Barrier(4)

    def send(_):
        start.wait()
        try:
            return mentions_ingest(batch)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    assert sum(r.created for r in results) == 200, [r.errors[:1] for r in results]
    assert sum(r.duplicates for r in results) == 600
    assert all(r.rejected == 0 for r in results)
    assert Mention.objects.count() == 200
    assert MentionTerm.objects.count() == 200  # links only for the rows each request created
