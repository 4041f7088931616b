"""Two roll backs at once: the second waits for the first, and exactly one version ends active (PostgreSQL, a real
second connection)."""

import threading

import pytest
from django.db import connection, transaction

from bench.sentiment_corpus import sentiment_corpus
from insights.models import Mention, SentimentModel
from insights.services.corrections import mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.services.sentiment_models import sentiment_model_activate, sentiment_train
from insights.tests.factories import item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_roll_back_waiting_on_another_ends_with_one_active_version(ana):
    corpus = sentiment_corpus(100, seed=15)
    mentions_ingest([item(i, text=text, external_id=f"c-{i}") for i, (text, _) in enumerate(corpus)])
    ids = dict(Mention.objects.values_list("external_id", "pk"))
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[f"c-{i}"] for i, (_, label) in enumerate(corpus) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    first, second, third = (sentiment_train(by=ana) for _ in range(3))
    assert [version.is_active for version in (first, second, third)] == [True, False, False]
    outcome = {}
    first_holds_the_rows, other_started = threading.Event(), threading.Event()

    def activate_third():
        first_holds_the_rows.wait()
        other_started.set()
        try:
            outcome["active"] = sentiment_model_activate(version=third.pk, by=ana).pk
        except Exception as exc:  # noqa: BLE001 — the test reports whatever went wrong
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=activate_third)
    thread.start()
    with transaction.atomic():
        sentiment_model_activate(version=second.pk, by=ana)  # holds the active row and its own
        first_holds_the_rows.set()
        other_started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second roll back did not wait for the first"
    thread.join(timeout=10)
    assert outcome == {"active": third.pk}
    assert list(SentimentModel.objects.filter(is_active=True).values_list("pk", flat=True)) == [third.pk]
