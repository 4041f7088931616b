"""Business writes of the listening half: ingest, relabel, terms, rollups."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from insights.ingest import MentionInput, clean_mention, latest_published_at
from insights.models import Channel, Feed, Mention, MentionTerm, RollupMark, Sentiment, TrackedTerm
from insights.query import InvalidTermQuery, TermMatcher, parse, tokenize
from insights.sentiment import get_scorer, primary_language

INSERT_CHUNK = 500  # rows per INSERT statement: well under SQLite's variable limit


@dataclass
class IngestResult:
    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": self.errors,
        }


def _active_channels() -> dict[str, int]:
    return dict(Channel.objects.filter(is_active=True).values_list("slug", "id"))


def _compiled_terms() -> list[tuple[int, object]]:
    return [
        (term_id, parse(query))
        for term_id, query in TrackedTerm.objects.filter(is_active=True).values_list("id", "query")
    ]


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def rollup_marks_add(hours: Iterable[datetime]) -> None:
    """Mark hours whose mentions changed, for the next incremental rollup pass."""
    RollupMark.objects.bulk_create([RollupMark(hour=hour) for hour in {hour_of(h) for h in hours}])


def ingest_mentions(items: list, *, first_index: int = 0) -> IngestResult:
    """Validate, match, score and store mentions, in one transaction.

    Each item is validated on its own: good items are stored, bad ones come back
    by index with the reason. Idempotent on (source, external_id), also under
    concurrent requests (INSERT … ON CONFLICT DO NOTHING), and for an item that
    repeats an earlier one of the same batch. `first_index` offsets the reported
    indexes (a CSV import reports row numbers).
    """
    result = IngestResult()
    channels = _active_channels()
    latest = latest_published_at()
    valid: list[MentionInput] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, item in enumerate(items):
        index = first_index + offset
        mention, errors = clean_mention(item, channels, latest=latest)
        if mention is not None:
            key = (mention.source, mention.external_id)
            if key in seen:
                errors = {"external_id": [f"Repeats item {seen[key]} of this batch (same source and external_id)."]}
                mention = None
            else:
                seen[key] = index
        if mention is None:
            result.rejected += 1
            result.errors.append({"index": index, "errors": errors})
        else:
            valid.append(mention)
    if valid:
        _store(valid, result)
    return result


def _score(mentions: list[MentionInput]) -> list:
    """Score, in one batch, the mentions whose language the model reads; others stay unscored."""
    scorer = get_scorer()
    scored_at = [
        i
        for i, m in enumerate(mentions)
        if m.sentiment_label is None and primary_language(m.language) in scorer.languages
    ]
    scores = [None] * len(mentions)
    for i, score in zip(scored_at, scorer.score([mentions[i].text for i in scored_at]), strict=True):
        scores[i] = score
    return scores


MENTION_COLUMNS = [
    "channel_id", "source", "external_id", "url", "author_handle", "author_name", "author_reach", "text",
    "language", "published_at", "received_at", "likes", "shares", "comments", "sentiment_label",
    "sentiment_score", "sentiment_confidence", "model_label", "status", "department",
]  # fmt: skip
# The columns that vary by mention, with their PostgreSQL types (json_to_recordset needs them); the
# others (received_at, status, department) are the same for the whole batch.
MENTION_ROW_TYPES = {
    "channel_id": "bigint", "source": "text", "external_id": "text", "url": "text", "author_handle": "text",
    "author_name": "text", "author_reach": "bigint", "text": "text", "language": "text",
    "published_at": "timestamptz", "likes": "integer", "shares": "integer", "comments": "integer",
    "sentiment_label": "text", "sentiment_score": "double precision", "sentiment_confidence": "double precision",
    "model_label": "text",
}  # fmt: skip


def _store(mentions: list[MentionInput], result: IngestResult) -> None:
    matcher = TermMatcher(_compiled_terms())
    scores = _score(mentions)
    matches = [matcher.matching(mention.text) for mention in mentions]
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            created = _insert_mentions_postgresql(mentions, scores, now)
        else:
            created = _insert_mentions(mentions, scores, now)
        created_mentions, links = [], []
        for mention, term_ids in zip(mentions, matches, strict=True):
            pk = created.get((mention.source, mention.external_id))
            if pk is not None:
                created_mentions.append(mention)
                links.extend((pk, term_id) for term_id in term_ids)
        if connection.vendor == "postgresql":
            _insert_links_postgresql(links)
        else:
            MentionTerm.objects.bulk_create(
                [MentionTerm(mention_id=pk, term_id=term_id) for pk, term_id in links], batch_size=2000
            )
        rollup_marks_add(mention.published_at for mention in created_mentions)
    result.created = len(created)
    result.duplicates = len(mentions) - len(created)
    result.created_ids = sorted(created.values())


def _labels(mention: MentionInput, score) -> tuple[str, str]:
    """(the label that counts, the model's label): a label set by hand wins over the model's."""
    model_label = score.label if score else Sentiment.UNSCORED
    return mention.sentiment_label or model_label, model_label


def _insert_mentions_postgresql(mentions: list[MentionInput], scores: list, now: datetime) -> dict:
    """One INSERT … SELECT FROM json_to_recordset(…) ON CONFLICT DO NOTHING: the fast path.

    The batch travels as one JSON parameter, which PostgreSQL parses in C; a multi-row VALUES list
    or ORM objects cost several times more per row, on both sides (DESIGN.md "Performance rules").
    Returns the created mentions' ids by (source, external_id).
    """
    rows = []
    for mention, score in zip(mentions, scores, strict=True):
        label, model_label = _labels(mention, score)
        rows.append(
            {
                "channel_id": mention.channel_id,
                "source": mention.source,
                "external_id": mention.external_id,
                "url": mention.url,
                "author_handle": mention.author_handle,
                "author_name": mention.author_name,
                "author_reach": mention.author_reach,
                "text": mention.text,
                "language": mention.language,
                "published_at": mention.published_at.isoformat(),
                "likes": mention.likes,
                "shares": mention.shares,
                "comments": mention.comments,
                "sentiment_label": label,
                "sentiment_score": score.score if score else None,
                "sentiment_confidence": score.confidence if score else None,
                "model_label": model_label,
            }
        )
    q = connection.ops.quote_name
    row_type = ", ".join(f"{q(name)} {kind}" for name, kind in MENTION_ROW_TYPES.items())
    from_rows = ", ".join(f"r.{q(name)}" for name in MENTION_ROW_TYPES)
    columns = ", ".join(q(name) for name in [*MENTION_ROW_TYPES, "received_at", "status", "department"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(Mention._meta.db_table)} ({columns}) "
            f"SELECT {from_rows}, %s, %s, %s FROM json_to_recordset(%s::json) AS r({row_type}) "
            "ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id",
            [now, Mention.Status.NEW, "", json.dumps(rows, ensure_ascii=False)],
        )
        return {(source, external_id): pk for pk, source, external_id in cursor.fetchall()}


def _insert_links_postgresql(links: list[tuple[int, int]]) -> None:
    if not links:
        return
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(MentionTerm._meta.db_table)} (mention_id, term_id) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
            [[pk for pk, _ in links], [term_id for _, term_id in links]],
        )


def _insert_mentions(mentions: list[MentionInput], scores: list, now: datetime) -> dict:
    """Multi-row INSERT … ON CONFLICT DO NOTHING through the ORM's field conversions (SQLite, others)."""
    fields = {f.attname: f for f in Mention._meta.concrete_fields}
    rows = []
    for mention, score in zip(mentions, scores, strict=True):
        label, model_label = _labels(mention, score)
        values = {
            **{name: getattr(mention, name) for name in MENTION_COLUMNS if hasattr(mention, name)},
            "received_at": now,
            "model_label": model_label,
            "sentiment_label": label,
            "sentiment_score": score.score if score else None,
            "sentiment_confidence": score.confidence if score else None,
            "status": Mention.Status.NEW,
            "department": "",
        }
        rows.append([fields[name].get_db_prep_save(values[name], connection) for name in MENTION_COLUMNS])

    table = connection.ops.quote_name(Mention._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in MENTION_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(MENTION_COLUMNS)) + ")"
    created: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "
                "ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id",
                [value for row in chunk for value in row],
            )
            created.update({(source, external_id): pk for pk, source, external_id in cursor.fetchall()})
    return created


# --- Corrections, deletions, terms -----------------------------------------


def mention_relabel(*, mention: Mention, label: str, by) -> Mention:
    """A staff member sets the label; it wins over the model's in every count."""
    if label not in (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE):
        raise ValidationError({"label": "Choose positive, neutral or negative."})
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


def term_query_validate(query: str) -> str:
    """Parse a term query, or raise a ValidationError that gives the position of the error."""
    try:
        parse(query)
    except InvalidTermQuery as exc:
        raise ValidationError({"query": str(exc)}) from exc
    return query


def term_save(*, term: TrackedTerm | None = None, name: str, kind: str, query: str) -> TrackedTerm:
    """Create or update a tracked term; a changed query re-matches past mentions in a task."""
    from insights.tasks import term_rematch_task

    term_query_validate(query)
    with transaction.atomic():
        term = term or TrackedTerm()
        query_changed = term.pk is None or term.query != query
        term.name, term.kind, term.query = name.strip(), kind, query
        term.full_clean()
        term.save()
        if query_changed:
            transaction.on_commit(lambda: term_rematch_task.delay(term.pk))
    return term


REMATCH_CHUNK = 5000


def term_rematch(*, term_id: int) -> int:
    """Match every stored mention against the term's current query again. Safe to run twice.

    Works through the mentions in chunks of ids, one transaction each, so a killed
    worker leaves whole chunks done; the hours of changed links are marked.
    """
    term = TrackedTerm.objects.filter(pk=term_id).first()
    if term is None:
        return 0
    query = parse(term.query) if term.is_active else None
    changed = 0
    last_id = 0
    while True:
        chunk = list(
            Mention.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "text", "published_at")[:REMATCH_CHUNK]
        )
        if not chunk:
            return changed
        last_id = chunk[-1][0]
        ids = [pk for pk, _, _ in chunk]
        with transaction.atomic():
            linked = set(
                MentionTerm.objects.filter(term_id=term_id, mention_id__in=ids).values_list("mention_id", flat=True)
            )
            matching = {pk for pk, text, _ in chunk if query is not None and query.matches_tokens(tokenize(text))}
            added, removed = matching - linked, linked - matching
            if not (added or removed):
                continue
            MentionTerm.objects.filter(term_id=term_id, mention_id__in=removed).delete()
            MentionTerm.objects.bulk_create([MentionTerm(mention_id=pk, term_id=term_id) for pk in added])
            rollup_marks_add(published for pk, _, published in chunk if pk in added or pk in removed)
            changed += len(added) + len(removed)


# --- Demo data -------------------------------------------------------------


def demo_insights_seed(*, mentions: int = 20_000) -> dict[str, int]:
    """Carl's Soda's tracked terms and `mentions` invented mentions, then a rollup rebuild.

    Idempotent: terms are kept by name, mentions by their demo external ids.
    """
    from insights.demo import CHANNELS, DEMO_FEEDS, DEMO_SOURCE, TERMS, demo_mentions
    from insights.rollups import rollups_refresh

    for slug, name, kind in CHANNELS:  # normally there from a migration; the demo needs them
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    terms = 0
    for name, kind, query in TERMS:
        _, created = TrackedTerm.objects.get_or_create(name=name, defaults={"kind": kind, "query": query})
        terms += created
    for name, url, channel in DEMO_FEEDS:
        # Paused: the demo has no internet to poll; staff resume them or register their own.
        Feed.objects.get_or_create(
            url=url, defaults={"name": name, "channel": Channel.objects.get(slug=channel), "is_active": False}
        )
    created = 0
    if not Mention.objects.filter(source=DEMO_SOURCE).exists():
        items = demo_mentions(mentions)
        for start in range(0, len(items), 5000):
            created += ingest_mentions(items[start : start + 5000], first_index=start).created
        rollups_refresh()
    return {"terms": terms, "mentions": created}


# --- Offline mentions --------------------------------------------------------


def offline_mention_log(
    *,
    channel: Channel,
    text: str,
    happened_at: datetime,
    token: str,
    author_name: str = "",
    sentiment_label: str | None = None,
    by=None,
) -> IngestResult:
    """Log a call-centre note, an event conversation or a store visit as a mention.

    `token` comes from the form when it is shown, so a submitted-twice form stores one
    mention. A label set by hand counts as a staff label.
    """
    item = {
        "source": "offline",
        "external_id": token,
        "channel": channel.slug,
        "text": text,
        "published_at": happened_at.isoformat(),
        "author": {"name": author_name} if author_name else {},
    }
    result = ingest_mentions([item])
    if result.created and sentiment_label:
        mention = Mention.objects.get(pk=result.created_ids[0])
        mention_relabel(mention=mention, label=sentiment_label, by=by)
    return result


class InUse(ApplicationError):
    status_code = 409
    code = "in_use"


def term_delete(*, term: TrackedTerm) -> None:
    """Delete a term: its links and per-term rollup rows go with it; totals are untouched."""
    term.delete()


def channel_save(*, channel: Channel | None = None, slug: str, name: str, kind: str, is_active: bool = True) -> Channel:
    """Create or update a channel (admins add channels beyond the default ones)."""
    channel = channel or Channel()
    channel.slug, channel.name, channel.kind, channel.is_active = slug, name.strip(), kind, is_active
    channel.full_clean()
    channel.save()
    return channel


def channel_delete(*, channel: Channel) -> None:
    """Delete a channel that no mention or feed uses; otherwise deactivate it instead."""
    if channel.mentions.exists() or channel.feeds.exists():
        raise InUse(f"“{channel.name}” has mentions or feeds: deactivate it (is_active=false) instead.")
    channel.delete()
