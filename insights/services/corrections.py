"""Corrections by staff: a label set by hand, and deletions. Both mark their hours for the rollups."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.queue import task_queue_on_commit
from insights.models import Mention, MentionAction, Sentiment
from insights.services.rollups import rollup_marks_add

STAFF_LABELS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)


def label_validate(label: str) -> str:
    """A label staff may set by hand, or a ValidationError on `label`."""
    if label not in STAFF_LABELS:
        raise ValidationError({"label": "Choose positive, neutral or negative."})
    return label


def mention_relabel(*, mention: Mention, label: str, by) -> Mention:
    """A staff member sets the label; it wins over the model's in every count."""
    label_validate(label)
    with transaction.atomic():
        mention = Mention.objects.select_for_update().get(pk=mention.pk)
        before = mention.sentiment_label
        mention.sentiment_label = label
        mention.sentiment_set_by = by
        mention.sentiment_set_at = timezone.now()
        mention.save(update_fields=["sentiment_label", "sentiment_set_by", "sentiment_set_at"])
        _relabels_thread([(mention.pk, before)], label, by, mention.sentiment_set_at)
        rollup_marks_add([mention.published_at])
        _learn_from_corrections()
    return mention


def _learn_from_corrections() -> None:
    """Each correction is a label for the learned scorer: once enough arrived, it trains (after commit)."""
    task_queue_on_commit("insights.tasks.sentiment_train_if_due_task")


def _relabels_thread(befores: list[tuple[int, str]], label: str, by, at) -> None:
    """A line in each mention's thread: who set which label over which."""
    MentionAction.objects.bulk_create(
        [
            MentionAction(
                mention_id=pk, kind=MentionAction.Kind.RELABELLED, actor=by, at=at, detail=f"{before} → {label}"
            )
            for pk, before in befores
        ],
        batch_size=500,
    )


BULK_RELABEL_MAX = 500


def mentions_relabel(*, mention_ids: Iterable[int], label: str, by) -> int:
    """Staff set one label on several mentions at once, in one transaction; it wins over the model's as in
    mention_relabel(), and the hours of the mentions are marked for the rollups. Ids that no longer exist are
    skipped; returns how many mentions were labelled. At most BULK_RELABEL_MAX ids."""
    label_validate(label)
    ids = sorted(set(mention_ids))
    if not ids:
        raise ValidationError({"mention_ids": "Select at least one mention."})
    if len(ids) > BULK_RELABEL_MAX:
        raise ValidationError({"mention_ids": f"Select at most {BULK_RELABEL_MAX} mentions at a time."})
    with transaction.atomic():
        mentions = Mention.objects.filter(pk__in=ids)
        locked = list(mentions.order_by("pk").select_for_update().values_list("pk", "sentiment_label", "published_at"))
        rollup_marks_add(published for _, _, published in locked)
        now = timezone.now()
        _relabels_thread([(pk, before) for pk, before, _ in locked], label, by, now)
        _learn_from_corrections()
        return mentions.update(sentiment_label=label, sentiment_set_by=by, sentiment_set_at=now)


def mentions_delete(*, mention_ids: Iterable[int]) -> int:
    """Delete mentions; their hours are recounted by the next rollup pass."""
    with transaction.atomic():
        mentions = Mention.objects.filter(pk__in=list(mention_ids))
        rollup_marks_add(mentions.values_list("published_at", flat=True))
        deleted, _ = mentions.delete()
    return deleted
