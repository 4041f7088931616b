"""The learned-sentiment API: POST /mentions/{id}/label, POST /sentiment/train, GET /sentiment/models,
POST /sentiment/activate."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import ApiKeyFactory
from bench.sentiment_corpus import sentiment_corpus
from insights.models import Mention, MentionAction, SentimentModel
from insights.services.ingest import mentions_ingest
from insights.tests.factories import item

pytestmark = pytest.mark.django_db

CORPUS = sentiment_corpus(400, seed=15)


@pytest.fixture
def keys(ana):
    """`keys("mentions:write")`: a client with a key of these scopes that Ana created."""

    def make(*scopes):
        _, key = ApiKeyFactory(scopes=list(scopes), created_by=ana)
        client = APIClient()
        client.default_format = "json"
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return client

    return make


def corpus_mentions(n: int) -> list[int]:
    mentions_ingest([item(i, text=text, external_id=f"c-{i}") for i, (text, _) in enumerate(CORPUS[:n])])
    ids = dict(Mention.objects.values_list("external_id", "pk"))
    return [ids[f"c-{i}"] for i in range(n)]


def test_a_label_is_a_correction_by_the_keys_owner(keys, ana):
    client = keys("mentions:write", "mentions:read")
    pk = corpus_mentions(1)[0]

    response = client.post(f"/api/v1/mentions/{pk}/label", {"label": "negative"})

    assert response.status_code == 200
    listed = client.get("/api/v1/mentions", {"external_id": "c-0"}).json()["results"][0]
    assert response.json() == listed
    assert listed["sentiment_label"] == "negative"
    assert listed["sentiment_set_by"] == ana.get_full_name()
    mention = Mention.objects.get(pk=pk)
    assert mention.sentiment_set_by == ana
    assert mention.sentiment_set_at is not None
    assert MentionAction.objects.get(mention=mention).kind == "relabelled"


def test_a_label_outside_the_three_is_a_400_naming_them(keys, assert_api_error):
    pk = corpus_mentions(1)[0]

    response = keys("mentions:write").post(f"/api/v1/mentions/{pk}/label", {"label": "unscored"})

    error = assert_api_error(response, 400, "invalid")
    assert "label" in error["details"]
    assert Mention.objects.get(pk=pk).sentiment_set_by is None


def test_a_key_that_nobody_owns_cannot_label(api_client, assert_api_error):
    pk = corpus_mentions(1)[0]

    response = api_client("mentions:write").post(f"/api/v1/mentions/{pk}/label", {"label": "positive"})

    assert "belongs to nobody" in assert_api_error(response, 403, "permission_denied")["message"]
    assert Mention.objects.get(pk=pk).sentiment_set_by is None


def test_labelling_needs_mentions_write_and_an_existing_mention(keys, assert_api_error):
    pk = corpus_mentions(1)[0]
    assert_api_error(
        keys("mentions:read").post(f"/api/v1/mentions/{pk}/label", {"label": "positive"}), 403, "permission_denied"
    )
    assert_api_error(
        keys("mentions:write").post("/api/v1/mentions/999999/label", {"label": "positive"}), 404, "not_found"
    )


def test_training_with_too_few_labels_is_a_400_that_says_how_many(keys, assert_api_error):
    response = keys("insights:admin").post("/api/v1/sentiment/train")

    error = assert_api_error(response, 400, "invalid")
    assert "at least 30" in error["details"]["labels"][0]
    assert not SentimentModel.objects.exists()


def test_training_answers_the_version_and_whether_it_became_active(keys, ana):
    labeller = keys("mentions:write")
    for pk, (_, value) in zip(corpus_mentions(300), CORPUS, strict=False):
        assert labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value}).status_code == 200

    response = keys("insights:admin").post("/api/v1/sentiment/train")

    assert response.status_code == 200
    body = response.json()
    version = SentimentModel.objects.get()
    assert body == {
        "version": version.pk,
        "labels": 300,
        "cv_accuracy": version.cv_accuracy,
        "active": True,
        "reason": version.reason,
    }
    assert version.trained_by == ana
    assert "beats VADER" in body["reason"]


def test_training_needs_insights_admin(keys, assert_api_error):
    assert_api_error(keys("mentions:write", "mentions:read").post("/api/v1/sentiment/train"), 403, "permission_denied")


def test_the_versions_list_their_metrics_and_which_is_active(keys, admin_api):
    labeller = keys("mentions:write")
    for pk, (_, value) in zip(corpus_mentions(120), CORPUS, strict=False):
        labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value})
    first = admin_api("post", "sentiment/train").json()
    second = admin_api("post", "sentiment/train").json()  # the same labels: no better, not active

    response = keys("mentions:read").get("/api/v1/sentiment/models")

    assert response.status_code == 200
    versions = response.json()["results"]
    assert [(v["version"], v["active"]) for v in versions] == [(second["version"], False), (first["version"], True)]
    latest = versions[0]
    assert latest["labels"] == 120
    assert latest["baseline"] == f"v{first['version']}"
    assert set(latest["per_class"]) == {"negative", "neutral", "positive"}
    assert set(latest["per_class"]["negative"]) == {"precision", "recall", "f1", "support"}
    assert latest["confusion"]["labels"] == ["negative", "neutral", "positive"]
    assert {"from", "to", "count", "confidence", "accuracy"} == set(latest["reliability"][0])
    assert latest["reason"].startswith("Not active")


def test_staff_roll_back_to_an_earlier_version_and_to_vader(keys, admin_api, assert_api_error):
    labeller = keys("mentions:write")
    ids = corpus_mentions(300)
    for pk, (_, value) in zip(ids[:100], CORPUS, strict=False):
        labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value})
    first = admin_api("post", "sentiment/train").json()["version"]
    for pk, (_, value) in zip(ids[100:], CORPUS[100:300], strict=True):
        labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value})
    second = admin_api("post", "sentiment/train").json()
    assert second["active"]

    back = admin_api("post", "sentiment/activate", {"version": first})
    assert back.status_code == 200
    assert back.json()["scorer"] == f"learned v{first}"
    assert back.json()["active"]["version"] == first
    assert SentimentModel.objects.get(is_active=True).pk == first

    to_vader = admin_api("post", "sentiment/activate", {"version": None})
    assert to_vader.json() == {"scorer": "vader", "active": None}
    assert not SentimentModel.objects.filter(is_active=True).exists()

    missing = admin_api("post", "sentiment/activate", {"version": 999999})
    assert "no version 999999" in assert_api_error(missing, 400, "invalid")["details"]["version"][0]
    assert_api_error(admin_api("post", "sentiment/activate", {}), 400, "invalid")


def test_over_the_synchronous_limit_training_is_queued(keys, admin_api, settings):
    settings.INSIGHTS_SENTIMENT_SYNC_MAX_LABELS = 50
    labeller = keys("mentions:write")
    for pk, (_, value) in zip(corpus_mentions(60), CORPUS, strict=False):
        labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value})

    response = admin_api("post", "sentiment/train")

    assert response.status_code == 202
    assert response.json() | {"reason": ""} == {
        "version": None,
        "labels": 60,
        "cv_accuracy": None,
        "active": False,
        "reason": "",
    }
    assert SentimentModel.objects.get().labels == 60  # the worker trained it (Celery runs eagerly in tests)


def test_a_training_while_another_runs_is_a_409(keys, admin_api, assert_api_error):
    from django.core.cache import cache

    from insights.services.sentiment_models import TRAINING_LOCK

    labeller = keys("mentions:write")
    for pk, (_, value) in zip(corpus_mentions(60), CORPUS, strict=False):
        labeller.post(f"/api/v1/mentions/{pk}/label", {"label": value})
    cache.add(TRAINING_LOCK, True, 60)  # another worker's training holds the lock

    assert_api_error(admin_api("post", "sentiment/train"), 409, "training_in_progress")
    assert not SentimentModel.objects.exists()
