"""Mentions for the inbox, the review queue, the list API and the model-agreement page."""

from django.db.models import Count

from insights.models import Mention, Sentiment


def mentions_for_api():
    """Mentions for the list API, newest first; channel, corrector and terms without a query per row."""
    return (
        Mention.objects.select_related("channel", "sentiment_set_by")
        .prefetch_related("terms")
        .order_by("-published_at", "-id")
    )


def mentions_inbox(*, term: str = "", channel: str = "", label: str = "", text: str = ""):
    """The staff inbox: newest mentions first, filtered like the API."""
    qs = mentions_for_api()
    if term:
        qs = qs.filter(terms__name=term)
    if channel:
        qs = qs.filter(channel__slug=channel)
    if label:
        qs = qs.filter(sentiment_label=label)
    if text:
        qs = qs.filter(text__icontains=text)
    return qs


def review_queue():
    """Mentions the model was least sure of and no one has checked yet (index on confidence)."""
    return (
        Mention.objects.filter(sentiment_set_by__isnull=True, sentiment_confidence__isnull=False)
        .select_related("channel")
        .prefetch_related("terms")
        .order_by("sentiment_confidence", "-published_at")
    )


def model_agreement() -> dict:
    """How often the model's label agrees with staff corrections, per label and per channel."""
    checked = Mention.objects.filter(sentiment_set_by__isnull=False).exclude(model_label=Sentiment.UNSCORED)
    rows = checked.values("model_label", "sentiment_label", "channel__name").annotate(n=Count("pk"))

    def table(key):
        out: dict = {}
        for row in rows:
            entry = out.setdefault(row[key], {"checked": 0, "agreed": 0})
            entry["checked"] += row["n"]
            entry["agreed"] += row["n"] if row["model_label"] == row["sentiment_label"] else 0
        return [
            {"key": k, **v, "rate": round(v["agreed"] / v["checked"], 3) if v["checked"] else None}
            for k, v in sorted(out.items())
        ]

    confusion: dict = {}
    for row in rows:
        confusion[(row["model_label"], row["sentiment_label"])] = (
            confusion.get((row["model_label"], row["sentiment_label"]), 0) + row["n"]
        )
    total = sum(r["n"] for r in rows)
    agreed = sum(r["n"] for r in rows if r["model_label"] == r["sentiment_label"])
    return {
        "checked": total,
        "agreed": agreed,
        "rate": round(agreed / total, 3) if total else None,
        "by_label": table("model_label"),
        "by_channel": table("channel__name"),
        "confusion": confusion,
    }
