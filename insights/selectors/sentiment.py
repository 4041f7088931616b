"""Reads for the learned sentiment scorer: the human labels it learns from, its versions, the active one."""

from datetime import datetime

from django.db.models import QuerySet

from insights.languages import primary_language
from insights.models import Mention, Sentiment, SentimentModel, SentimentRescore

HUMAN_LABELS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)


def sentiment_model_active() -> dict | None:
    """The active version's id, training time and speed over VADER ({"pk", "trained_at", "speed_ratio"}), or None
    when VADER scores."""
    return SentimentModel.objects.filter(is_active=True).values("pk", "trained_at", "speed_ratio").first()


def sentiment_models() -> QuerySet[SentimentModel]:
    """Every version, newest first, without its weights (the list shows metrics only)."""
    return SentimentModel.objects.defer("parameters", "training_set").order_by("-id")


def sentiment_model_latest() -> SentimentModel | None:
    """The newest version, active or not: the corrections after its labels are the new ones."""
    return sentiment_models().first()


def sentiment_labels(*, languages: frozenset[str], limit: int) -> list[tuple[int, str, str]]:
    """(mention id, text, label) of the newest `limit` mentions whose label a person set, in a language the model
    reads, ordered by id (so that the same labels give the same folds)."""
    rows = (
        Mention.objects.filter(sentiment_set_by__isnull=False, sentiment_label__in=HUMAN_LABELS)
        .order_by("-sentiment_set_at", "-id")
        .values_list("pk", "text", "sentiment_label", "language")
        .iterator(chunk_size=5000)
    )  # people label a few thousand mentions, not millions: reading them all is cheap
    kept = [(pk, text, label) for pk, text, label, language in rows if primary_language(language) in languages]
    return sorted(kept[:limit])


def sentiment_labels_count() -> int:
    """How many mentions carry a label a person set."""
    return Mention.objects.filter(sentiment_set_by__isnull=False, sentiment_label__in=HUMAN_LABELS).count()


def sentiment_corrections_since(moment: datetime | None) -> int:
    """Labels people set (or changed) after `moment`; all of them when None."""
    labelled = Mention.objects.filter(sentiment_set_by__isnull=False, sentiment_label__in=HUMAN_LABELS)
    return labelled.filter(sentiment_set_at__gt=moment).count() if moment else labelled.count()


def sentiment_model_parameters(pk: int) -> tuple[bytes, dict]:
    """A version's weights (.npz bytes) and recipe, to load it."""
    parameters, recipe = SentimentModel.objects.values_list("parameters", "recipe").get(pk=pk)
    return bytes(parameters), recipe


def sentiment_rescore_progress(version: int | None) -> dict:
    """How far re-scoring with `version` (None: VADER) has come: {"rescored", "to_rescore", "done"}. Before its task
    counted the mentions, to_rescore is what it has re-scored so far; a scorer never re-scored reads as done."""
    key = "vader" if version is None else f"v{version}"
    row = SentimentRescore.objects.filter(scorer=key).values("rescored", "to_rescore", "done").first()
    if row is None:
        return {"rescored": 0, "to_rescore": 0, "done": True}
    to_rescore = row["to_rescore"] if row["to_rescore"] is not None else row["rescored"]
    return {"rescored": row["rescored"], "to_rescore": max(to_rescore, row["rescored"]), "done": row["done"]}
