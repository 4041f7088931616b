"""intranet_import against writers it cannot see coming: PostgreSQL, real threads, one connection each."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from intranet.importer import CREATED, SKIPPED, intranet_import
from intranet.models import Post, PostComment
from intranet.tests.factories import employee
from intranet.tests.test_import import comment, post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction, the view is a snapshot
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_row_written_meanwhile_by_someone_else_makes_its_line_skipped_and_the_batch_still_comes_in():
    author = employee(email="maria.okafor@carlssoda.example")
    holding = threading.Event()

    def other_writer():
        # Writes the post the import is about to write, and commits only once the import waits on it.
        try:
            with transaction.atomic():
                Post.objects.create(author=author, text="Written in the app meanwhile.", external_id="old-post-1")
                holding.set()
                deadline = time.monotonic() + 10
                while not _someone_waits_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
                return time.monotonic() < deadline  # the import did wait on this row
        finally:
            connection.close()

    def importer():
        holding.wait(10)
        try:
            outcomes = []
            intranet_import(lines=[json.dumps(line) for line in (post(), post("old-post-2"), comment())],
                            on_outcome=outcomes.append)  # fmt: skip
            return outcomes
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        writer = pool.submit(other_writer)
        outcomes = pool.submit(importer).result(timeout=60)
        assert writer.result(timeout=60), "the import never waited on the other writer's row"

    # The batch hit the other writer's row, was rolled back and replayed line by line: the line whose
    # row was there by then is skipped, the others come in, nothing twice.
    assert [(o.line, o.outcome) for o in outcomes] == [(1, SKIPPED), (2, CREATED), (3, CREATED)]
    assert Post.objects.filter(external_id="old-post-1").get().text == "Written in the app meanwhile."
    assert Post.objects.count() == 2
    assert PostComment.objects.get().post.external_id == "old-post-1"


def test_two_imports_of_one_file_at_once_create_each_row_and_account_once():
    lines = [json.dumps(post(f"old-post-{n}", author=f"author{n % 7}@carlssoda.example")) for n in range(300)]
    start = threading.Barrier(2)

    def one(_):
        start.wait()
        try:
            return intranet_import(lines=lines, batch_size=50)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(one, range(2))

    assert first.count(CREATED) + second.count(CREATED) == 300
    assert first.refused == second.refused == []
    assert first.count(SKIPPED) + second.count(SKIPPED) == 300
    assert Post.objects.count() == 300
    assert first.accounts_created + second.accounts_created == 7
