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


def mentions_delete(*, mention_ids: Iterable[int]) -> int:
    """Delete mentions; their hours are recounted by the next rollup pass."""
    with transaction.atomic():
        mentions = Mention.objects.filter(pk__in=list(mention_ids))
        rollup_marks_add(mentions.values_list("published_at", flat=True))
        deleted, _ = mentions.delete()
    return deleted
