"""The sentiment models page: the active scorer, every version with its metrics, train now and roll back."""

import pytest

from bench.sentiment_corpus import sentiment_corpus
from insights.models import Mention, SentimentModel
from insights.services.corrections import mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(ana):
    """200 corpus mentions, labelled by Ana."""
    corpus = sentiment_corpus(200, seed=15)
    mentions_ingest([item(i, text=text, external_id=f"c-{i}") for i, (text, _) in enumerate(corpus)])
    ids = dict(Mention.objects.values_list("external_id", "pk"))
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[f"c-{i}"] for i, (_, label) in enumerate(corpus) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)


def test_with_no_version_the_page_says_vader_scores(as_ana):
    response = as_ana.get("/insights/sentiment/")

    assert response.status_code == 200
    assert "VADER scores new mentions" in response.content.decode()


def test_staff_train_from_the_page_and_see_the_versions_metrics(as_ana, corrected):
    response = as_ana.post("/insights/sentiment/train/", follow=True)

    version = SentimentModel.objects.get()
    page = response.content.decode()
    assert version.is_active
    assert f"Version {version.pk} trained." in page
    assert f"Version {version.pk} scores new mentions" in page
    assert "Staff (rows) against the model (columns)" in page
    assert response.context["confusion"][0]["label"] == "negative"


def test_too_few_labels_say_how_many_are_needed(as_ana):
    response = as_ana.post("/insights/sentiment/train/", follow=True)

    assert "Label at least 30 mentions" in response.content.decode()
    assert not SentimentModel.objects.exists()


def test_staff_roll_back_to_vader_and_forward_from_the_page(as_ana, corrected):
    as_ana.post("/insights/sentiment/train/")
    version = SentimentModel.objects.get()

    page = as_ana.post("/insights/sentiment/activate/", {"version": "vader"}, follow=True).content.decode()
    assert "VADER scores now." in page
    assert not SentimentModel.objects.filter(is_active=True).exists()

    as_ana.post("/insights/sentiment/activate/", {"version": str(version.pk)})
    assert SentimentModel.objects.get(is_active=True) == version


def test_a_version_that_is_not_a_number_or_does_not_exist_is_refused(as_ana):
    def activate(version):
        return as_ana.post("/insights/sentiment/activate/", {"version": version}, follow=True).content.decode()

    assert "Choose a version" in activate("x")
    assert "no version 99" in activate("99")


def test_the_page_shows_the_rescoring_progress_until_it_is_done(as_ana, corrected, settings):
    settings.INSIGHTS_SENTIMENT_RESCORE_BATCH = 100
    corpus = sentiment_corpus(300, seed=16)
    mentions_ingest([item(i, text=text, external_id=f"u-{i}") for i, (text, _) in enumerate(corpus)])
    as_ana.post("/insights/sentiment/train/")  # its re-scoring task is queued on commit: not run in this test
    version = SentimentModel.objects.get(is_active=True)

    from insights.services.sentiment_rescore import sentiment_rescore

    sentiment_rescore(version=version.pk, max_batches=3)  # ids 1-300: the 200 labelled, then 100 to re-score
    response = as_ana.get("/insights/sentiment/")
    assert response.context["rescore"] == {"rescored": 100, "to_rescore": 300, "done": False}
    assert f"Re-scoring with version {version.pk}: 100 of 300 mentions re-scored" in response.content.decode()

    sentiment_rescore(version=version.pk)
    response = as_ana.get("/insights/sentiment/")
    assert response.context["rescore"] == {"rescored": 300, "to_rescore": 300, "done": True}
    assert "Re-scoring: done, 300 of 300 mentions re-scored." in response.content.decode()
