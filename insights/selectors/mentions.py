"""Mentions for the inbox, the review queue, the list API and the model-agreement page."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from insights.models import Mention, MentionImport, MentionTerm, Sentiment, TrackedTerm


def mentions_for_api():
    """Mentions for the list API, newest first; channel, corrector and terms without a query per row."""
    return (
        Mention.objects.select_related("channel", "sentiment_set_by")
        .prefetch_related("terms")
        .order_by("-published_at", "-id")
    )


def import_row_prefix(upload: MentionImport) -> str | None:
    """The external-id prefix of an import's mentions, when its rows were known by their number (no
    external-id column was mapped): then `source` + this prefix selects exactly the mentions it created.
    None when the file carried its own ids (its mentions cannot be told from others of the source)."""
    if "external_id" in (upload.mapping or {}).get("columns", {}):
        return None
    return f"import-{upload.pk}-row-"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def mentions_inbox(
    *,
    term: str = "",
    channel: str = "",
    label: str = "",
    text: str = "",
    source: str = "",
    start: date | None = None,
    end: date | None = None,
    import_id: int | None = None,
):
    """The staff inbox: newest mentions first, filtered like the API.

    `start` and `end` are days in the organisation's time zone (both included) of publication;
    `import_id` keeps the mentions a CSV import created (none if that cannot be told exactly)."""
    qs = mentions_for_api()
    if term:
        # EXISTS on (mention, term) with the term's id known: the planner starts from the other filters' index
        # (label, recency) and probes mentionterm_unique, instead of walking a popular term's million links.
        term_id = TrackedTerm.objects.filter(name=term).values_list("pk", flat=True).first()
        if term_id is None:
            return qs.none()
        qs = qs.filter(Exists(MentionTerm.objects.filter(mention_id=OuterRef("pk"), term_id=term_id)))
    if channel:
        qs = qs.filter(channel__slug=channel)
    if label:
        qs = qs.filter(sentiment_label=label)
    if text:
        qs = qs.filter(text__icontains=text)
    if source:
        qs = qs.filter(source=source)
    if start:
        qs = qs.filter(published_at__gte=_day_start(start))
    if end:
        qs = qs.filter(published_at__lt=_day_start(end + timedelta(days=1)))
    if import_id is not None:
        upload = MentionImport.objects.filter(pk=import_id).first()
        prefix = import_row_prefix(upload) if upload and upload.mapping.get("source") else None
        if prefix is None:
            return qs.none()
        qs = qs.filter(source=upload.mapping["source"], external_id__startswith=prefix)
    return qs


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


EXPORT_HEADER = [
    "id",
    "published_at",
    "channel",
    "source",
    "external_id",
    "url",
    "author_handle",
    "author_name",
    "author_reach",
    "language",
    "sentiment_label",
    "sentiment_score",
    "likes",
    "shares",
    "comments",
    "terms",
    "text",
]


EXPORT_FIELDS = [
    "pk",
    "published_at",
    "channel__slug",
    "source",
    "external_id",
    "url",
    "author_handle",
    "author_name",
    "author_reach",
    "language",
    "sentiment_label",
    "sentiment_score",
    "likes",
    "shares",
    "comments",
    "text",
]


def mentions_export_rows(mentions, *, chunk_size: int = 2000) -> Iterator[list]:
    """The header, then one row per mention of `mentions` (a queryset, as mentions_inbox() gives it),
    newest first, read `chunk_size` at a time by keyset on (published_at, id): memory holds one chunk
    whatever the list's size, and no cursor stays open between chunks. Two queries a chunk (the rows as
    tuples, then their terms): no model instance is built, which would cost several times more."""
    yield EXPORT_HEADER
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = mentions.prefetch_related(None).order_by("-published_at", "-id").values_list(*EXPORT_FIELDS)
    after = None
    while True:
        chunk = rows
        if after is not None:
            # The plain bound is what PostgreSQL starts its index scan at: the OR alone reads every row
            # before the chunk again (a million-row export would read the table hundreds of times).
            chunk = chunk.filter(published_at__lte=after[0]).filter(
                Q(published_at__lt=after[0]) | Q(published_at=after[0], pk__lt=after[1])
            )
        batch = list(chunk[:chunk_size])
        terms: dict[int, list[str]] = {}
        links = MentionTerm.objects.filter(mention_id__in=[row[0] for row in batch]).values_list(
            "mention_id", "term__name"
        )
        for mention_id, name in links:
            terms.setdefault(mention_id, []).append(name)
        for pk, published_at, *middle, score, likes, shares, comments, text in batch:
            yield [
                pk,
                published_at.astimezone(zone).isoformat(),
                *middle,
                "" if score is None else score,
                likes,
                shares,
                comments,
                "; ".join(sorted(terms.get(pk, ()))),
                text,
            ]
        if len(batch) < chunk_size:
            return
        after = (batch[-1][1], batch[-1][0])
