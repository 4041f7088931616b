"""Re-scoring: when a scorer becomes active (a trained version, a roll back, VADER again), the mentions that no person
labelled are scored again with it, in batches, so that counts, rollups and alerts follow the better model.

Which mentions: those with no human label (Mention.sentiment_set_by null) that the active scorer has not scored
(Mention.scored_by_version differs), walked by id. Progress lives in one SentimentRescore row per scorer, in the
database, so that any worker continues it:

- each batch is one transaction that writes its mentions, the rollup marks of the hours it changed and the progress
  row together: a worker killed mid-batch leaves nothing of that batch, and the next run does it again, with the same
  scorer on the same texts, so the same labels;
- batches run one at a time (an advisory lock on PostgreSQL, which activation also takes; SQLite serialises writers);
- a run stops as soon as another scorer became active (that one's run takes over);
- a human label is never touched: the mentions are chosen without one, and the UPDATE checks again, so a label set
  by a person while a batch runs wins.

Ingest may score with VADER while a version is active (when the version would slow bulk ingest too much) or with a
version that was active a moment ago; it then calls sentiment_rescore_catch_up() and the run picks those mentions up.
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from core.queue import task_queue_on_commit
from insights.languages import primary_language
from insights.models import Mention, Sentiment, SentimentModel, SentimentRescore
from insights.sentiment import get_scorer, scorer_forget, scorer_version
from insights.services.rollups import rollup_marks_add

RESCORE_LOCK = 7_142_015  # an arbitrary, fixed key for PostgreSQL's advisory lock
DONE, MORE, STOPPED = "done", "more", "stopped"
ROW_FIELDS = ("pk", "text", "language", "published_at", "sentiment_label", "sentiment_score")


def scorer_key(version: int | None) -> str:
    """The progress row's key: "v<version>", or "vader" when no version is active."""
    return "vader" if version is None else f"v{version}"


def rescore_lock() -> None:
    """One batch at a time, and no scorer becomes active in the middle of a batch (PostgreSQL; SQLite serialises
    writers already). Held until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESCORE_LOCK])


def sentiment_rescore_start(*, version: int | None) -> None:
    """In the transaction that makes `version` (None: VADER) the active scorer: reset its progress and queue the
    re-scoring after commit."""
    rescore_lock()
    SentimentRescore.objects.update_or_create(
        scorer=scorer_key(version),
        defaults={
            "version_id": version,
            "started_at": timezone.now(),
            "last_pk": 0,
            "rescored": 0,
            "to_rescore": None,
            "done": False,
        },
    )
    task_queue_on_commit("insights.tasks.sentiment_rescore_task", version)


def sentiment_rescore_catch_up(*, version: int | None, first_pk: int, added: int) -> None:
    """In the transaction of an ingest that scored `added` mentions (ids from `first_pk`) with another scorer than the
    active one (`version`): the active scorer's run goes back to them, and is queued again if it had finished."""
    key = scorer_key(version)
    changes = {"last_pk": Least(F("last_pk"), first_pk - 1), "to_rescore": F("to_rescore") + added}
    progress = SentimentRescore.objects.filter(scorer=key)
    if progress.filter(done=False).update(**changes):
        return  # a run is under way: it reaches them (the beat's resume task queues it again if it was lost)
    if not progress.update(**changes, done=False):
        defaults = {"version_id": version, "started_at": timezone.now()}
        SentimentRescore.objects.get_or_create(scorer=key, defaults=defaults)
    task_queue_on_commit("insights.tasks.sentiment_rescore_task", version)


def _pending(version: int | None):
    """Mentions no person labelled that `version` (None: VADER) has not scored."""
    unlabelled = Mention.objects.filter(sentiment_set_by__isnull=True)
    if version is None:
        return unlabelled.filter(scored_by_version__isnull=False)
    return unlabelled.exclude(scored_by_version=version)


def _scorer_for(version: int | None):
    """The active scorer, read again from the database if this process's cached one is another version."""
    scorer = get_scorer()
    if scorer_version(scorer) != version:
        scorer_forget()
        scorer = get_scorer()
    return scorer if scorer_version(scorer) == version else None


def sentiment_rescore_batch(*, version: int | None) -> str:
    """Re-score the pending mentions among the next INSIGHTS_SENTIMENT_RESCORE_BATCH ids for `version` (None: VADER), in
    one transaction with its progress.
    DONE when nothing is left, MORE when there may be more, STOPPED when another scorer is active now."""
    size = settings.INSIGHTS_SENTIMENT_RESCORE_BATCH
    with transaction.atomic():
        rescore_lock()
        progress = SentimentRescore.objects.select_for_update().filter(scorer=scorer_key(version)).first()
        if progress is None or progress.done:
            return DONE
        if SentimentModel.objects.filter(is_active=True).values_list("pk", flat=True).first() != version:
            return STOPPED
        scorer = _scorer_for(version)
        if scorer is None:
            return STOPPED
        pending = _pending(version)
        if progress.to_rescore is None:
            progress.to_rescore = progress.rescored + pending.filter(pk__gt=progress.last_pk).count()
        # The batch is the next `size` ids of all mentions, read from the primary key's index alone; then the pending
        # ones among them. Filtering and limiting in one query lets PostgreSQL's planner pick a (parallel) scan of
        # the whole table for every batch once its statistics say most rows are pending: seconds each on 1M rows.
        upper = list(
            Mention.objects.filter(pk__gt=progress.last_pk).order_by("pk").values_list("pk", flat=True)[size - 1 : size]
        )
        window = pending.filter(pk__gt=progress.last_pk)
        if upper:
            window = window.filter(pk__lte=upper[0])
        rows = list(window.order_by("pk").values_list(*ROW_FIELDS))
        progress.rescored += _rescore(rows, scorer, version)
        if upper:
            progress.last_pk = upper[0]
        elif rows:
            progress.last_pk = rows[-1][0]
        progress.done = not upper
        progress.save()
        return DONE if progress.done else MORE


def _rescore(rows: list[tuple], scorer, version: int | None) -> int:
    """Write the new scores of `rows` (unlabelled when read; checked again in the UPDATE) and mark the hours whose
    counts change. Returns how many mentions were written."""
    readable = [i for i, row in enumerate(rows) if primary_language(row[2]) in scorer.languages]
    new: list[tuple] = [(Sentiment.UNSCORED, None, None)] * len(rows)  # a language it does not read: unscored
    for i, score in zip(readable, scorer.score([rows[i][1] for i in readable]), strict=True):
        new[i] = (score.label, score.score, score.confidence)
    written = _write([row[0] for row in rows], new, version)
    rollup_marks_add(
        row[3]
        for row, (label, score, _) in zip(rows, new, strict=True)
        if row[0] in written and (row[4] != label or row[5] != score)
    )
    return len(written)


def _write(ids: list[int], new: list[tuple], version: int | None) -> set[int]:
    """One UPDATE of the mentions still without a human label; the ids written."""
    if not ids:
        return set()
    if connection.vendor != "postgresql":  # SQLite serialises writers: no label can change under this transaction
        mentions = [
            Mention(
                pk=pk,
                sentiment_label=label,
                model_label=label,
                sentiment_score=score,
                sentiment_confidence=confidence,
                scored_by_version=version,
            )
            for pk, (label, score, confidence) in zip(ids, new, strict=True)
        ]
        fields = ["sentiment_label", "model_label", "sentiment_score", "sentiment_confidence", "scored_by_version"]
        Mention.objects.filter(sentiment_set_by__isnull=True).bulk_update(mentions, fields, batch_size=500)
        return set(Mention.objects.filter(pk__in=ids, sentiment_set_by__isnull=True).values_list("pk", flat=True))
    table = connection.ops.quote_name(Mention._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS m SET sentiment_label = v.label, model_label = v.label, sentiment_score = v.score, "
            "sentiment_confidence = v.confidence, scored_by_version = %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::double precision[], %s::double precision[]) "
            "AS v(id, label, score, confidence) "
            "WHERE m.id = v.id AND m.sentiment_set_by_id IS NULL RETURNING m.id",
            [version, ids, [n[0] for n in new], [n[1] for n in new], [n[2] for n in new]],
        )
        return {pk for (pk,) in cursor.fetchall()}


def sentiment_rescore(*, version: int | None, max_seconds: float | None = None, max_batches: int | None = None) -> dict:
    """Run batches for `version` until none is left, another scorer became active, or the time or batch budget is
    spent. {"status": DONE | MORE | STOPPED, "batches": n}; safe to run twice and to run in two workers at once."""
    started, batches, status = time.monotonic(), 0, MORE
    while status == MORE:
        if max_batches is not None and batches >= max_batches:
            break
        if max_seconds is not None and time.monotonic() - started >= max_seconds:
            break
        status = sentiment_rescore_batch(version=version)
        batches += 1
    return {"status": status, "batches": batches}


def sentiment_rescore_resume() -> bool:
    """The active scorer's run, if it has not finished: queue it again (a task lost with its worker). Returns whether
    it queued one; a second run of the task alongside the first is harmless (one batch at a time)."""
    active = SentimentModel.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if not SentimentRescore.objects.filter(scorer=scorer_key(active), done=False).exists():
        return False
    task_queue_on_commit("insights.tasks.sentiment_rescore_task", active)
    return True
