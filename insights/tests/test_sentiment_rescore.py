"""Re-scoring after a scorer becomes active: every unlabelled mention scored again with it, in batches that survive a
killed worker and a second run, never over a human label, with rollups that follow; and bulk ingest that keeps its
speed by scoring with VADER when the active version is too slow, re-scoring catching up.

Mentions come from the invented Carl's Soda corpus (bench/sentiment_corpus.py) through the ingest service, labelled
through the corrections service; the task is the real Celery task, run eagerly. Nothing of ours is mocked.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from bench.sentiment_corpus import sentiment_corpus
from insights.models import Mention, RollupMark, SentimentModel, SentimentRescore
from insights.sentiment import base_scorer, get_scorer, scorer_forget
from insights.services.corrections import mention_relabel, mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.sentiment_models import sentiment_model_activate, sentiment_train
from insights.services.sentiment_rescore import STOPPED, sentiment_rescore, sentiment_rescore_batch
from insights.tasks import sentiment_rescore_resume_task, sentiment_rescore_task
from insights.tests.factories import item
from insights.tests.test_rollups import snapshot

pytestmark = pytest.mark.django_db

CORPUS = sentiment_corpus(1_000, seed=15)
LABELLED = 300  # the first 300 carry a human label; the other 700 are the model's to score
BATCH = 50
BASE = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)


class WorkerKilled(Exception):
    """Stands for kill -9: the transaction in flight never commits."""


@pytest.fixture(autouse=True)
def _small_batches(settings):
    settings.INSIGHTS_SENTIMENT_RESCORE_BATCH = BATCH


def ingest(pairs, *, first: int = 0) -> list[int]:
    """Corpus messages as mentions, a few minutes apart over several days (so over many rollup hours); their ids."""
    items = [
        item(
            first + i,
            text=text,
            external_id=f"corpus-{first + i}",
            published_at=(BASE + timedelta(minutes=7 * (first + i))).isoformat(),
        )
        for i, (text, _) in enumerate(pairs)
    ]
    result = mentions_ingest(items)
    assert result.rejected == 0, result.errors
    ids = dict(Mention.objects.filter(external_id__startswith="corpus-").values_list("external_id", "pk"))
    return [ids[f"corpus-{first + i}"] for i in range(len(pairs))]


@pytest.fixture
def world(ana, django_capture_on_commit_callbacks):
    """1,000 mentions scored by VADER, 300 of them labelled by Ana; a version trained on them has just become active,
    its re-scoring queued but not run yet. Returns the version."""
    ids = ingest(CORPUS)
    for value in ("positive", "neutral", "negative"):
        chosen = [pk for pk, (_, lab) in zip(ids[:LABELLED], CORPUS[:LABELLED], strict=True) if lab == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        version = sentiment_train(by=ana)
    assert version.is_active
    assert queued  # the re-scoring waits in the queue
    return version


def state() -> dict:
    """Every mention's sentiment columns, by id."""
    rows = Mention.objects.values_list(
        "pk",
        "sentiment_label",
        "model_label",
        "sentiment_score",
        "sentiment_confidence",
        "sentiment_set_by",
        "sentiment_set_at",
        "scored_by_version",
    )
    return {
        pk: (label, model, score and round(score, 9), confidence and round(confidence, 9), by, at, version)
        for pk, label, model, score, confidence, by, at, version in rows
    }


def batch_then_die(version: int) -> None:
    """A batch whose worker is killed before its transaction commits."""
    with transaction.atomic():
        sentiment_rescore_batch(version=version)
        raise WorkerKilled


def unlabelled_in_first(batches: int) -> int:
    """How many mentions without a human label the first `batches` batches hold (a batch is BATCH ids)."""
    ids = list(Mention.objects.order_by("pk").values_list("pk", flat=True)[: batches * BATCH])
    return Mention.objects.filter(pk__in=ids, sentiment_set_by=None).count()


def progress(version) -> SentimentRescore:
    return SentimentRescore.objects.get(scorer=f"v{version.pk}" if version else "vader")


def test_every_unlabelled_mention_gets_the_active_versions_label(world):
    sentiment_rescore_task(world.pk)

    unlabelled = list(Mention.objects.filter(sentiment_set_by=None).order_by("pk"))
    assert len(unlabelled) == len(CORPUS) - LABELLED
    expected = get_scorer().score([m.text for m in unlabelled])
    assert get_scorer().name == f"learned v{world.pk}"
    assert [(m.sentiment_label, m.model_label) for m in unlabelled] == [(s.label, s.label) for s in expected]
    assert {m.scored_by_version for m in unlabelled} == {world.pk}
    done = progress(world)
    assert (done.rescored, done.to_rescore, done.done) == (700, 700, True)
    vader = base_scorer().score([m.text for m in unlabelled])
    assert sum(s.label != v.label for s, v in zip(expected, vader, strict=True)) > 100  # it really changed labels


def test_human_labels_are_never_overwritten(world, ana):
    scorer_forget()
    # Ana disagrees with the new version on 40 mentions it has not learned from.
    unlabelled = list(Mention.objects.filter(sentiment_set_by=None).order_by("?")[:40])
    for mention, score in zip(unlabelled, get_scorer().score([m.text for m in unlabelled]), strict=True):
        mention_relabel(mention=mention, label="negative" if score.label != "negative" else "positive", by=ana)
    before = {pk: row for pk, row in state().items() if row[4] is not None}
    assert len(before) == LABELLED + 40

    sentiment_rescore(version=world.pk, max_batches=2)
    # A correction between two batches, on a mention the run has not reached yet: the person's label wins.
    ahead = Mention.objects.filter(sentiment_set_by=None, pk__gt=progress(world).last_pk).order_by("pk").first()
    own = "negative" if get_scorer().score([ahead.text])[0].label != "negative" else "positive"
    mention_relabel(mention=ahead, label=own, by=ana)
    sentiment_rescore_task(world.pk)

    after = state()
    assert {pk: after[pk] for pk in before} == before
    ahead.refresh_from_db()
    assert (ahead.sentiment_label, ahead.sentiment_set_by) == (own, ana)
    assert progress(world).done


def test_a_killed_worker_then_a_new_run_equals_a_clean_run(world, django_capture_on_commit_callbacks):
    sentiment_rescore(version=world.pk, max_batches=8)  # eight batches commit, then the worker dies mid-batch
    reached = progress(world)
    assert (reached.rescored, reached.done) == (unlabelled_in_first(8), False)
    with pytest.raises(WorkerKilled):
        batch_then_die(world.pk)
    left = progress(world)
    assert (left.last_pk, left.rescored) == (reached.last_pk, reached.rescored)  # the killed batch left nothing

    sentiment_rescore_task(world.pk)  # the task again, as Celery redelivers it (acks_late)
    resumed = state()
    assert (progress(world).rescored, progress(world).done) == (700, True)

    # A clean run over the same mentions: back to VADER (its own re-scoring), then this version again, from the start.
    with django_capture_on_commit_callbacks(execute=True):
        sentiment_model_activate(version=None, by=None)
    assert Mention.objects.filter(sentiment_set_by=None, scored_by_version__isnull=False).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        sentiment_model_activate(version=world.pk, by=None)
    assert progress(world).done
    assert state() == resumed


def test_running_twice_equals_running_once(world):
    sentiment_rescore_task(world.pk)
    once, marks = state(), RollupMark.objects.count()

    assert sentiment_rescore_task(world.pk) == {"status": "done", "batches": 1}
    assert state() == once
    assert RollupMark.objects.count() == marks  # nothing changed, so no hour to recount


def test_two_runs_at_once_share_the_batches(world):
    """Two workers on the same run (a redelivered task beside the first) alternate batches: none is done twice."""
    for _ in range(5):
        sentiment_rescore(version=world.pk, max_batches=1)
        sentiment_rescore_batch(version=world.pk)
    assert progress(world).rescored == unlabelled_in_first(10)
    sentiment_rescore_task(world.pk)
    assert progress(world).rescored == 700


def test_rollups_equal_a_rebuild_after_rescoring(world):
    rollups_refresh()
    before = snapshot()

    sentiment_rescore_task(world.pk)
    assert RollupMark.objects.exists()
    rollups_refresh()
    incremental = snapshot()
    assert incremental != before  # the counts by label moved with the new labels
    rollups_refresh(rebuild=True)
    assert snapshot() == incremental


def test_a_run_stops_when_another_scorer_became_active(world, django_capture_on_commit_callbacks):
    sentiment_rescore(version=world.pk, max_batches=8)
    with django_capture_on_commit_callbacks(execute=False):
        sentiment_model_activate(version=None, by=None)  # a roll back to VADER, whose run is queued

    assert sentiment_rescore_task(world.pk)["status"] == STOPPED
    assert Mention.objects.filter(scored_by_version=world.pk).count() == unlabelled_in_first(8) > 0

    sentiment_rescore_task(None)
    unlabelled = list(Mention.objects.filter(sentiment_set_by=None).order_by("pk"))
    vader = base_scorer().score([m.text for m in unlabelled])
    assert [m.sentiment_label for m in unlabelled] == [s.label for s in vader]
    assert {m.scored_by_version for m in unlabelled} == {None}
    assert progress(None).done


def test_the_models_list_shows_the_progress_of_rescoring(world, api_client):
    client = api_client("mentions:read")

    def rescore_of_active():
        versions = client.get("/api/v1/sentiment/models").json()["results"]
        return next(v["rescore"] for v in versions if v["active"])

    assert rescore_of_active() == {"rescored": 0, "to_rescore": 0, "done": False}  # queued, not counted yet
    sentiment_rescore(version=world.pk, max_batches=8)
    assert rescore_of_active() == {"rescored": unlabelled_in_first(8), "to_rescore": 700, "done": False}
    sentiment_rescore_task(world.pk)
    assert rescore_of_active() == {"rescored": 700, "to_rescore": 700, "done": True}

    sentiment_model_activate(version=None, by=None)
    (only,) = client.get("/api/v1/sentiment/models").json()["results"]
    assert (only["active"], only["rescore"]) == (False, None)


def test_ingest_with_a_slow_model_scores_with_vader_and_rescoring_catches_up(
    world, settings, django_capture_on_commit_callbacks
):
    sentiment_rescore_task(world.pk)
    world.refresh_from_db()
    assert 0 < world.speed_ratio < 1  # it runs VADER and more: measured slower than VADER alone
    # Demand more than VADER's own speed, so that any learned version is too slow for bulk ingest.
    settings.INSIGHTS_SENTIMENT_INGEST_MIN_SPEED = 1.01
    fresh = sentiment_corpus(1_200, seed=15)[1_000:]

    with django_capture_on_commit_callbacks(execute=False) as queued:
        ids = ingest(fresh, first=1_000)
    new = list(Mention.objects.filter(pk__in=ids).order_by("pk"))
    assert [m.sentiment_label for m in new] == [s.label for s in base_scorer().score([m.text for m in new])]
    assert {m.scored_by_version for m in new} == {None}
    waiting = progress(world)
    assert (waiting.to_rescore, waiting.done) == (900, False)

    for callback in queued:  # the re-scoring that ingest queued, as a worker runs it
        callback()
    for mention in new:
        mention.refresh_from_db()
    assert [m.sentiment_label for m in new] == [s.label for s in get_scorer().score([m.text for m in new])]
    assert {m.scored_by_version for m in new} == {world.pk}
    caught_up = progress(world)
    assert (caught_up.rescored, caught_up.to_rescore, caught_up.done) == (900, 900, True)


def test_ingest_with_a_fast_enough_model_scores_with_it(world, settings, django_capture_on_commit_callbacks):
    sentiment_rescore_task(world.pk)
    settings.INSIGHTS_SENTIMENT_INGEST_MIN_SPEED = 0.0

    with django_capture_on_commit_callbacks(execute=False) as queued:
        ids = ingest(sentiment_corpus(1_050, seed=15)[1_000:], first=1_000)
    new = list(Mention.objects.filter(pk__in=ids).order_by("pk"))
    assert [m.sentiment_label for m in new] == [s.label for s in get_scorer().score([m.text for m in new])]
    assert {m.scored_by_version for m in new} == {world.pk}
    assert not queued  # nothing to catch up
    assert progress(world).done


def test_the_version_records_its_speed_over_vader_when_it_becomes_active(world):
    assert SentimentModel.objects.get(pk=world.pk).speed_ratio > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_correction_committed_while_a_batch_writes_wins(ana, settings):
    """PostgreSQL, a real second connection: the batch read the mention as unlabelled, then its UPDATE waits for the
    correction's row lock and checks again once it commits: the person's label stays."""
    settings.INSIGHTS_SENTIMENT_RESCORE_BATCH = 2000  # one batch holds every mention
    settings.INSIGHTS_SENTIMENT_RETRAIN_AFTER = 1000  # no training of its own after the corrections below
    ids = ingest(CORPUS[:200])
    for value in ("positive", "neutral", "negative"):
        chosen = [pk for pk, (_, lab) in zip(ids[:100], CORPUS[:100], strict=True) if lab == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    version = sentiment_train(by=ana)  # no test transaction: its re-scoring ran on commit
    assert version.is_active
    assert progress(version).done
    # Mentions that ingest scored with VADER meanwhile (a model too slow for it): the run goes back to them.
    Mention.objects.filter(sentiment_set_by=None).update(scored_by_version=None)
    SentimentRescore.objects.filter(scorer=f"v{version.pk}").update(last_pk=0, rescored=0, to_rescore=None, done=False)
    target = Mention.objects.get(pk=ids[150])
    own = "negative" if get_scorer().score([target.text])[0].label != "negative" else "positive"
    outcome, relabelled = {}, threading.Event()

    def batch():
        relabelled.wait()
        try:
            outcome["status"] = sentiment_rescore_batch(version=version.pk)
        except Exception as exc:  # noqa: BLE001 — the test reports whatever went wrong
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=batch)
    thread.start()
    with transaction.atomic():
        mention_relabel(mention=target, label=own, by=ana)  # holds the row until commit
        relabelled.set()
        thread.join(timeout=1.5)
        assert thread.is_alive(), "the batch did not wait for the correction"
    thread.join(timeout=30)
    assert outcome == {"status": "done"}
    target.refresh_from_db()
    assert (target.sentiment_label, target.sentiment_set_by, target.scored_by_version) == (own, ana, None)
    assert progress(version).rescored == 99  # the other unlabelled mentions
    assert not Mention.objects.filter(sentiment_set_by=None, scored_by_version=None).exists()


def test_beat_queues_a_run_whose_task_was_lost_again(world, django_capture_on_commit_callbacks):
    sentiment_rescore(version=world.pk, max_batches=1)  # then the worker and its task vanish

    with django_capture_on_commit_callbacks(execute=True):
        assert sentiment_rescore_resume_task() is True
    assert (progress(world).rescored, progress(world).done) == (700, True)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert sentiment_rescore_resume_task() is False
    assert not queued
