"""A mention that arrives without a language: detected, stored, and left unscored when the scorer does not read it."""

from datetime import date

import pytest

from bench.sentiment_corpus import sentiment_corpus
from insights.languages import detect_languages
from insights.models import Mention, Sentiment
from insights.selectors.review import sentiment_review_queue
from insights.selectors.rollups import SeriesRequest, reputation_summary, rollup_series
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

SPANISH = "Carl's Soda sube los precios otra vez? Me cambio a Bubbleton."


@pytest.fixture(autouse=True)
def brand():
    return TermFactory()


def test_the_issues_spanish_mention_without_a_language_is_detected_and_left_unscored():
    mentions_ingest([item(1, text=SPANISH)])
    mention = Mention.objects.get()
    assert mention.language == "es"
    assert (mention.sentiment_label, mention.model_label) == (Sentiment.UNSCORED, Sentiment.UNSCORED)
    assert mention.sentiment_score is None
    assert mention.sentiment_confidence is None  # not "1.00 sure" of anything
    assert [t.name for t in mention.terms.all()] == ["Carl's Soda"]


def test_through_the_bulk_api_the_detected_language_is_what_the_api_shows(api_client):
    writer = api_client("mentions:write")
    assert writer.post("/api/v1/mentions/bulk", [item(1, text=SPANISH), item(2)]).status_code == 200
    body = api_client("mentions:read").get("/api/v1/mentions").json()
    by_id = {m["external_id"]: m for m in body["results"]}
    assert by_id["post-1"]["language"] == "es"
    assert by_id["post-1"]["sentiment_label"] == "unscored"
    assert by_id["post-2"]["language"] == "en"
    assert by_id["post-2"]["sentiment_label"] == "positive"


def test_an_english_mention_without_a_language_is_detected_and_scored():
    mentions_ingest([item(1, text="Carl's Soda raised prices again? Switching to Bubbleton.")])
    mention = Mention.objects.get()
    assert mention.language == "en"
    assert mention.sentiment_label != Sentiment.UNSCORED
    assert mention.sentiment_confidence < 1


def test_a_given_language_is_taken_at_its_word_and_not_detected():
    mentions_ingest([item(1, text=SPANISH, language="en-US"), item(2, text="I love Carl's Soda", language="es")])
    english, spanish = Mention.objects.order_by("external_id")
    assert english.language == "en-US"
    assert english.sentiment_label != Sentiment.UNSCORED
    assert spanish.language == "es"
    assert spanish.sentiment_label == Sentiment.UNSCORED


def test_an_undetermined_text_keeps_a_blank_language_and_is_read_in_the_default_language():
    assert detect_languages(["Carl's Soda 👀"]) == [""]
    mentions_ingest([item(1, text="Carl's Soda 👀")])
    mention = Mention.objects.get()
    assert mention.language == ""
    assert mention.sentiment_label != Sentiment.UNSCORED


def test_detection_reads_the_configured_languages_only(settings):
    texts = ["No me gusta nada el nuevo sabor de Carl's Soda", "Je n'aime pas du tout la nouvelle recette"]
    assert detect_languages(texts) == ["es", "fr"]
    settings.INSIGHTS_DETECT_LANGUAGES = ["en", "es"]
    assert detect_languages(texts)[0] == "es"
    assert detect_languages(texts)[1] != "fr"  # French is not among them
    settings.INSIGHTS_DETECT_LANGUAGES = ["en"]
    assert detect_languages(texts) == ["", ""]  # nothing to choose between: the default language


def test_no_english_message_of_the_invented_corpus_is_taken_for_another_language():
    texts = [text for text, _ in sentiment_corpus(1500, seed=17)]
    found = detect_languages(texts)
    assert {code for code in found} <= {"en", ""}
    assert found.count("") < 0.1 * len(texts)


def test_unscored_mentions_count_in_volume_but_not_in_net_sentiment_nor_in_the_review_queue():
    published = "2026-02-02T15:00:00Z"
    mentions_ingest(
        [
            item(1, text="I love Carl's Soda, best drink ever", published_at=published),
            item(2, text="Carl's Soda tastes awful and I hate it", published_at=published),
            item(3, text="I love Carl's Soda so much, great stuff", published_at=published),
            item(4, text=SPANISH, published_at=published),
            item(5, text="¡Me encanta Carl's Soda Cherry! Muy refrescante.", published_at=published),
        ]
    )
    assert Mention.objects.filter(sentiment_label=Sentiment.UNSCORED).count() == 2
    rollups_refresh()
    body = rollup_series(
        SeriesRequest(bucket="day", group_by="term", start=date(2026, 2, 2), end=date(2026, 2, 2), tz="UTC")
    )
    point = body["series"][0]["points"][0]
    assert (point["count"], point["positive"], point["negative"], point["unscored"]) == (5, 2, 1, 2)
    assert point["net_sentiment"] == round((2 - 1) / 3, 4)  # of the 3 scored, not of 5
    summary = reputation_summary(days=30, today=date(2026, 2, 10))
    assert summary.mentions == 5
    assert summary.net_sentiment == pytest.approx(1 / 3)
    queued = {m.external_id for m in sentiment_review_queue(limit=50)}
    assert queued
    assert queued <= {"post-1", "post-2", "post-3"}  # never the Spanish ones
