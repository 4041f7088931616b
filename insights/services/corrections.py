"""Corrections by staff: a label set by hand, and deletions. Both mark their hours for the rollups."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from insights.models import Mention, Sentiment
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
        mention.sentiment_label = label
        mention.sentiment_set_by = by
        mention.sentiment_set_at = timezone.now()
        mention.save(update_fields=["sentiment_label", "sentiment_set_by", "sentiment_set_at"])
        rollup_marks_add([mention.published_at])
    return mention


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
        rollup_marks_add(mentions.values_list("published_at", flat=True))
        return mentions.update(sentiment_label=label, sentiment_set_by=by, sentiment_set_at=timezone.now())


def mentions_delete(*, mention_ids: Iterable[int]) -> int:
    """Delete mentions; their hours are recounted by the next rollup pass."""
    with transaction.atomic():
        mentions = Mention.objects.filter(pk__in=list(mention_ids))
        rollup_marks_add(mentions.values_list("published_at", flat=True))
        deleted, _ = mentions.delete()
    return deleted
