"""Old VADER confidences (before insights.calibration): the data migration recomputes them from the stored label and
score; a learned version's confidences, unscored mentions and labels are left alone."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from bench.sentiment_corpus import sentiment_corpus
from insights.calibration import VADER_CONFIDENCE, VADER_CONFIDENCE_FROM, vader_confidence
from insights.models import Mention, Sentiment
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db
migration = importlib.import_module("insights.migrations.0016_sentiment_vader_confidence")


def run_migration() -> None:
    with connection.schema_editor() as editor:
        migration.recompute(apps, editor)


def test_the_frozen_table_is_the_calibration_table():
    assert {label: tuple(values) for label, values in VADER_CONFIDENCE.items()} == migration.TABLE
    assert VADER_CONFIDENCE_FROM[1:] == migration.EDGES


def test_old_vader_confidences_are_recomputed_and_nothing_else_changes():
    TermFactory()
    corpus = sentiment_corpus(400, seed=15)
    mentions_ingest([item(i, text=text) for i, (text, _) in enumerate(corpus)])
    mentions_ingest([item(1000, text="¡Me encanta Carl's Soda!", language="es")])
    vader = Mention.objects.filter(scored_by_version__isnull=True).exclude(model_label=Sentiment.UNSCORED)
    expected = {
        pk: vader_confidence(label, score)
        for pk, label, score in vader.values_list("pk", "model_label", "sentiment_score")
    }
    assert len(set(expected.values())) > 5  # labels and strengths of every kind
    # As stored before calibration: "sure" by distance to a threshold, 1.00 for a text with no sentiment word.
    vader.update(sentiment_confidence=1.0)
    learned = Mention.objects.filter(pk__in=list(expected)[:20])
    learned.update(scored_by_version=7, sentiment_confidence=0.61)
    for pk in learned.values_list("pk", flat=True):
        expected[pk] = 0.61
    before = set(Mention.objects.values_list("pk", "sentiment_label", "model_label", "sentiment_score"))

    run_migration()
    stored = dict(Mention.objects.exclude(model_label=Sentiment.UNSCORED).values_list("pk", "sentiment_confidence"))
    assert stored == pytest.approx(expected)
    assert Mention.objects.get(language="es").sentiment_confidence is None
    assert set(Mention.objects.values_list("pk", "sentiment_label", "model_label", "sentiment_score")) == before

    run_migration()  # twice: the same
    again = dict(Mention.objects.exclude(model_label=Sentiment.UNSCORED).values_list("pk", "sentiment_confidence"))
    assert again == stored
