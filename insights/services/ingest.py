"""Mentions in: the one write that every source goes through (the bulk API, CSV imports, feeds, the offline form)."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from insights.languages import detect_languages, primary_language
from insights.mention_input import MentionInput, clean_mention, latest_published_at
from insights.models import Channel, Mention, MentionTerm, Sentiment, SentimentModel, TrackedTerm
from insights.query import TermMatcher, parse
from insights.sentiment import ingest_scorer, scorer_version
from insights.services.corrections import label_validate
from insights.services.rollups import rollup_marks_add
from insights.services.sentiment_rescore import sentiment_rescore_catch_up
from insights.triage import is_question, response_due_at, response_targets

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


def mentions_ingest(items: list, *, first_index: int = 0) -> IngestResult:
    """Validate, match, score and store mentions, in one transaction.

    Each item is validated on its own: good items are stored, bad ones come back
    by index with the reason. Idempotent on (source, external_id), also under
    concurrent requests (INSERT … ON CONFLICT DO NOTHING); an item that repeats an
    earlier one of the same batch counts as a duplicate. `first_index` offsets the reported
    indexes (a CSV import reports row numbers).
    """
    result = IngestResult()
    channels = _active_channels()
    latest = latest_published_at()
    valid: list[MentionInput] = []
    seen: set[tuple[str, str]] = set()
    repeats = 0
    for offset, item in enumerate(items):
        mention, errors = clean_mention(item, channels, latest=latest)
        if mention is None:
            result.rejected += 1
            result.errors.append({"index": first_index + offset, "errors": errors})
        elif (mention.source, mention.external_id) in seen:
            repeats += 1  # an archive holding a post twice: the first wins, exactly as a re-send would
        else:
            seen.add((mention.source, mention.external_id))
            valid.append(mention)
    if valid:
        _store(valid, result)
    result.duplicates += repeats
    return result


def _detect(mentions: list[MentionInput]) -> None:
    """Fill in the language of the mentions that came without one (insights.languages.detect_languages; blank when
    undetermined: the default language). A mention that names its language is taken at its word."""
    missing = [mention for mention in mentions if not mention.language]
    for mention, language in zip(missing, detect_languages([m.text for m in missing]), strict=True):
        mention.language = language


def _score(mentions: list[MentionInput]) -> tuple[list, int | None]:
    """Score, in one batch, the mentions whose language the model reads (a staff label keeps the model's beside it);
    with the active version when it keeps ingest fast enough, otherwise VADER (insights.sentiment.ingest_scorer).
    The scores, and the version that gave them (None: VADER)."""
    scorer = ingest_scorer()
    scored_at = [i for i, m in enumerate(mentions) if primary_language(m.language) in scorer.languages]
    scores = [None] * len(mentions)
    for i, score in zip(scored_at, scorer.score([mentions[i].text for i in scored_at]), strict=True):
        scores[i] = score
    return scores, scorer_version(scorer)


def _catch_up(version: int | None, created: dict, mentions: list[MentionInput]) -> None:
    """Scored with another scorer than the active one (VADER while a slow version is active, or a version that this
    process had not yet seen replaced): the active scorer's re-scoring goes back to these mentions."""
    active = SentimentModel.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if active == version:
        return
    unlabelled = [
        created[(m.source, m.external_id)]
        for m in mentions
        if m.sentiment_set_by_id is None and (m.source, m.external_id) in created
    ]
    if unlabelled:
        sentiment_rescore_catch_up(version=active, first_pk=min(unlabelled), added=len(unlabelled))


MENTION_COLUMNS = [
    "channel_id", "source", "external_id", "url", "author_handle", "author_name", "author_reach", "text",
    "language", "published_at", "received_at", "likes", "shares", "comments", "sentiment_label",
    "sentiment_score", "sentiment_confidence", "model_label", "status", "is_question", "response_due_at",
]  # fmt: skip
# The columns that vary by mention, with their PostgreSQL types (json_to_recordset needs them); the
# others (received_at, status) are the same for the whole batch.
MENTION_ROW_TYPES = {
    "channel_id": "bigint", "source": "text", "external_id": "text", "url": "text", "author_handle": "text",
    "author_name": "text", "author_reach": "bigint", "text": "text", "language": "text",
    "published_at": "timestamptz", "likes": "integer", "shares": "integer", "comments": "integer",
    "sentiment_label": "text", "sentiment_score": "double precision", "sentiment_confidence": "double precision",
    "model_label": "text", "is_question": "boolean", "response_due_at": "timestamptz",
    "sentiment_set_by_id": "bigint", "sentiment_set_at": "timestamptz", "scored_by_version": "bigint",
}  # fmt: skip
# Who set a label by hand, and when (the offline form); absent from most rows.
STAFF_LABEL_COLUMNS = ["sentiment_set_by_id", "sentiment_set_at"]


def _store(mentions: list[MentionInput], result: IngestResult) -> None:
    matcher = TermMatcher(_compiled_terms())
    _detect(mentions)
    scores, version = _score(mentions)
    matches = [matcher.matching(mention.text) for mention in mentions]
    triage = _triage_fields(mentions)
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            created = _insert_mentions_postgresql(mentions, scores, version, triage, now)
        else:
            created = _insert_mentions(mentions, scores, version, triage, now)
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
        _catch_up(version, created, mentions)
    result.created = len(created)
    result.duplicates = len(mentions) - len(created)
    result.created_ids = sorted(created.values())


def _labels(mention: MentionInput, score) -> tuple[str, str]:
    """(the label that counts, the model's label): a label set by hand wins over the model's."""
    model_label = score.label if score else Sentiment.UNSCORED
    return mention.sentiment_label or model_label, model_label


def _triage_fields(mentions: list[MentionInput]) -> list[dict]:
    """Per mention: whether it asks a question, and when its first response is due (its channel's target)."""
    targets = response_targets()
    return [
        {
            "is_question": is_question(mention.text),
            "response_due_at": response_due_at(mention.published_at, targets.get(mention.channel_id)),
        }
        for mention in mentions
    ]


def _insert_mentions_postgresql(
    mentions: list[MentionInput], scores: list, version: int | None, triage: list, now: datetime
) -> dict:
    """One INSERT … SELECT FROM json_to_recordset(…) ON CONFLICT DO NOTHING: the fast path.

    The batch travels as one JSON parameter, which PostgreSQL parses in C; a multi-row VALUES list
    or ORM objects cost several times more per row, on both sides (DESIGN.md "Performance rules").
    Returns the created mentions' ids by (source, external_id).
    """
    rows = []
    for mention, score, extra in zip(mentions, scores, triage, strict=True):
        label, model_label = _labels(mention, score)
        due = extra["response_due_at"]
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
                "is_question": extra["is_question"],
                "response_due_at": due and due.isoformat(),
                "scored_by_version": version,
            }
        )
        if mention.sentiment_set_by_id is not None:  # json_to_recordset reads a missing key as NULL
            rows[-1] |= {"sentiment_set_by_id": mention.sentiment_set_by_id, "sentiment_set_at": now.isoformat()}
    q = connection.ops.quote_name
    row_type = ", ".join(f"{q(name)} {kind}" for name, kind in MENTION_ROW_TYPES.items())
    from_rows = ", ".join(f"r.{q(name)}" for name in MENTION_ROW_TYPES)
    columns = ", ".join(q(name) for name in [*MENTION_ROW_TYPES, "received_at", "status"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(Mention._meta.db_table)} ({columns}) "
            f"SELECT {from_rows}, %s, %s FROM json_to_recordset(%s::json) AS r({row_type}) "
            "ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id",
            [now, Mention.Status.NEW, json.dumps(rows, ensure_ascii=False)],
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


def _insert_mentions(
    mentions: list[MentionInput], scores: list, version: int | None, triage: list, now: datetime
) -> dict:
    """Multi-row INSERT … ON CONFLICT DO NOTHING through the ORM's field conversions (SQLite, others)."""
    fields = {f.attname: f for f in Mention._meta.concrete_fields}
    names = [*MENTION_COLUMNS, *STAFF_LABEL_COLUMNS, "scored_by_version"]
    rows = []
    for mention, score, extra in zip(mentions, scores, triage, strict=True):
        label, model_label = _labels(mention, score)
        values = {
            **extra,
            **{name: getattr(mention, name) for name in MENTION_COLUMNS if hasattr(mention, name)},
            "received_at": now,
            "model_label": model_label,
            "sentiment_label": label,
            "sentiment_score": score.score if score else None,
            "sentiment_confidence": score.confidence if score else None,
            "status": Mention.Status.NEW,
            "sentiment_set_by_id": mention.sentiment_set_by_id,
            "sentiment_set_at": now if mention.sentiment_set_by_id is not None else None,
            "scored_by_version": version,
        }
        rows.append([fields[name].get_db_prep_save(values[name], connection) for name in names])

    table = connection.ops.quote_name(Mention._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
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
    mention. A label set by hand counts as a staff label (`by` set it), stored with the mention in one insert.
    """
    item = {
        "source": "offline",
        "external_id": token,
        "channel": channel.slug,
        "text": text,
        "published_at": happened_at.isoformat(),
        "author": {"name": author_name} if author_name else {},
    }
    mention, errors = clean_mention(item, _active_channels())
    if mention is None:
        return IngestResult(rejected=1, errors=[{"index": 0, "errors": errors}])
    if sentiment_label:
        mention.sentiment_label = label_validate(sentiment_label)
        mention.sentiment_set_by_id = by.pk
    result = IngestResult()
    _store([mention], result)
    return result
