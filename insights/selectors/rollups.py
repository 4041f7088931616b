"""Series of mention counts for charts, the API and reports: read from rollups, never raw mentions."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import DateField, Q, Sum
from django.db.models.functions import TruncDate, TruncHour, TruncMonth, TruncQuarter, TruncWeek

from core.exceptions import ApplicationError
from core.validators import validate_sane_date
from insights.models import Channel, DailyRollup, DailyTermRollup, HourlyRollup, Sentiment, TrackedTerm

BUCKETS = ("hour", "day", "week", "month", "quarter")
GROUP_BY = ("term", "channel", "label")
HOURLY_MAX_DAYS = 92  # hour rows serve about a quarter; longer ranges read day rows
# The longest range per bucket: about ten years of days, about 25 years of weeks, months or quarters.
# Enough for any chart; a bound on the answer's size (and the work behind it).
MAX_DAYS = {"hour": HOURLY_MAX_DAYS, "day": 3660, "week": 9150, "month": 9150, "quarter": 9150}
LABELS = [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE, Sentiment.UNSCORED]


class InvalidSeriesRequest(ApplicationError):
    code = "invalid_series"


@dataclass(frozen=True)
class SeriesRequest:
    bucket: str
    group_by: str
    start: date
    end: date  # inclusive
    tz: str
    term: str | None = None
    channel: str | None = None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSeriesRequest(f"Unknown time zone “{name}”; use an Area/City name such as Europe/Paris.") from exc


def _bucket_starts(bucket: str, start: date, end: date, tz: ZoneInfo) -> list:
    """Every bucket of the range, as dates (day-based) or UTC datetimes (hours)."""
    if bucket == "hour":
        first = datetime.combine(start, time(), tz).astimezone(UTC).replace(minute=0, second=0)
        last = datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC)
        hours, moment = [], first
        while moment < last:
            hours.append(moment)
            moment += timedelta(hours=1)
        return hours
    if bucket == "day":
        first = start
    elif bucket == "week":
        first = start - timedelta(days=start.weekday())
    elif bucket == "month":
        first = start.replace(day=1)
    else:
        first = start.replace(month=(start.month - 1) // 3 * 3 + 1, day=1)
    starts, current = [], first
    while current <= end:
        starts.append(current)
        if bucket == "day":
            current += timedelta(days=1)
        elif bucket == "week":
            current += timedelta(days=7)
        else:
            months = 1 if bucket == "month" else 3
            year, month = divmod(current.month - 1 + months, 12)
            current = current.replace(year=current.year + year, month=month + 1)
    return starts


# One row (migration 0004): a token that names the current rollup counts. Plain SQL, like the
# statements of a pass: it is state of the rollups, not a model anyone edits.
GENERATION_TABLE = "insights_rollupgeneration"


def rollups_generation() -> str:
    """The token of the rollup counts now: it changes, in the same transaction, with every pass that
    recounts something, so a cache keyed by it never answers with counts that have been replaced."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {GENERATION_TABLE} WHERE id = 1")
        return cursor.fetchone()[0]


TRUNC = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter}
SERIES_CACHE_SECONDS = 3600  # a bound on memory: entries go stale by key (the rollup generation), not by age
SERIES_FORMAT = 1  # part of the cache key: bump it when the answer's shape changes


def rollup_series(request: SeriesRequest) -> dict:
    """Mention counts and sentiment per bucket, one series per term, channel or label."""
    return _series(request, _series_context())


def rollup_series_json(request: SeriesRequest) -> bytes:
    """rollup_series() as UTF-8 JSON, cached until the next rollup pass changes the counts.

    The key holds the rollup generation, which every pass that changes a rollup replaces in the
    same transaction (insights.services.rollups), and the terms and channels that name the series: a key
    is never read again once anything behind its answer has changed.
    """
    context = _series_context()
    _check(request)
    key = (
        "insights:series:"
        + hashlib.sha256(
            repr((SERIES_FORMAT, rollups_generation(), settings.TIME_ZONE, request, context)).encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = json.dumps(_series(request, context), ensure_ascii=False, separators=(",", ":")).encode()
        if len(body) <= settings.INSIGHTS_SERIES_CACHE_MAX_BYTES:  # the cache shares Redis with the broker
            cache.set(key, body, SERIES_CACHE_SECONDS)
    return body


@dataclass(frozen=True)
class _SeriesContext:
    terms: tuple[tuple[str, int], ...]  # (name, id), by name
    channels: tuple[tuple[str, int, bool], ...]  # (slug, id, is_active), by slug


def _series_context() -> _SeriesContext:
    return _SeriesContext(
        terms=tuple(TrackedTerm.objects.order_by("name").values_list("name", "pk")),
        channels=tuple(Channel.objects.order_by("slug").values_list("slug", "pk", "is_active")),
    )


def _invalid(field: str, message: str) -> InvalidSeriesRequest:
    return InvalidSeriesRequest(f"{field}: {message}", extra={field: [message]})


def _check(request: SeriesRequest) -> None:
    if request.bucket not in BUCKETS:
        raise _invalid("bucket", f"Must be one of {', '.join(BUCKETS)}.")
    if request.group_by not in GROUP_BY:
        raise _invalid("group_by", f"Must be one of {', '.join(GROUP_BY)}.")
    for field in ("start", "end"):
        try:
            validate_sane_date(getattr(request, field))
        except ValidationError as exc:
            raise _invalid(field, exc.messages[0]) from exc
    if request.end < request.start:
        raise _invalid("end", "end is before start.")
    days = (request.end - request.start).days + 1
    if days > MAX_DAYS[request.bucket]:
        raise _invalid("end", f"{request.bucket} buckets can cover at most {MAX_DAYS[request.bucket]:,} days.")
    _zone(request.tz)


def _driver_rows(queryset) -> list[tuple]:
    """The rows as the database driver returns them, without Django's converters: one Python call per
    value, which on a year of daily series by term (about 3,000 rows of 9 values) costs about as much
    as the query. The caller converts what needs it (the bucket, the bigint sums)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _series(request: SeriesRequest, context: _SeriesContext, *, channel_rows: bool = False) -> dict:
    """The answer; `channel_rows` reads the day rows per channel even where the rows summed over
    channels would serve (the tests check that both give the same answer)."""
    _check(request)
    tz = _zone(request.tz)
    days = (request.end - request.start).days + 1
    org_tz = request.tz == settings.TIME_ZONE

    day_rows = request.bucket != "hour" and org_tz
    if not day_rows:
        if days > HOURLY_MAX_DAYS:
            detail = "hour buckets" if request.bucket == "hour" else f"a time zone other than {settings.TIME_ZONE}"
            raise _invalid(
                "end",
                f"Ranges of more than {HOURLY_MAX_DAYS} days are kept by day in {settings.TIME_ZONE}: "
                f"{detail} can cover at most {HOURLY_MAX_DAYS} days.",
            )
        rows = HourlyRollup.objects.filter(
            bucket__gte=datetime.combine(request.start, time(), tz).astimezone(UTC) - timedelta(hours=1),
            bucket__lt=datetime.combine(request.end + timedelta(days=1), time(), tz).astimezone(UTC),
        )
        if request.bucket == "hour":
            bucket_expr = TruncHour("bucket", tzinfo=UTC)
        elif request.bucket == "day":
            bucket_expr = TruncDate("bucket", tzinfo=tz)
        else:  # weeks, months, quarters of the asked time zone
            bucket_expr = TRUNC[request.bucket]("bucket", tzinfo=tz, output_field=DateField())
    else:
        # Over every channel, by term or label: the day rows already summed over channels, about a
        # tenth as many (a year by term: ~12,000 rows rather than ~125,000). By channel, or within
        # one, the rows per channel.
        summed = request.channel is None and request.group_by in ("term", "label") and not channel_rows
        rows = (DailyTermRollup if summed else DailyRollup).objects.filter(
            bucket__gte=request.start, bucket__lte=request.end
        )
        bucket_expr = TRUNC[request.bucket]("bucket") if request.bucket != "day" else None

    terms = dict(context.terms)
    channels = {slug: pk for slug, pk, _ in context.channels}
    if request.term is not None:
        if request.term not in terms:
            raise InvalidSeriesRequest(f"Unknown term “{request.term}”.")
        rows = rows.filter(term_id=terms[request.term])
    elif request.group_by == "term":
        rows = rows.filter(term__isnull=False)
    else:
        rows = rows.filter(term__isnull=True)  # each mention counted once
    if request.channel is not None:
        if request.channel not in channels:
            raise InvalidSeriesRequest(f"Unknown channel “{request.channel}”.")
        rows = rows.filter(channel_id=channels[request.channel])

    if request.group_by == "term":
        keys = [request.term] if request.term else sorted(terms)
        key_field, key_of = "term_id", {pk: name for name, pk in terms.items()}
    elif request.group_by == "channel":
        keys = [request.channel] if request.channel else [slug for slug, _, active in context.channels if active]
        key_field, key_of = "channel_id", {pk: slug for slug, pk in channels.items()}
    else:
        keys = list(LABELS)
        key_field, key_of = "label", {label: label for label in LABELS}

    if bucket_expr is not None:
        rows = rows.annotate(b=bucket_expr)
        bucket_field = "b"
    else:
        bucket_field = "bucket"
    # One row per bucket and key, the labels side by side: no join (keys are named here), and
    # a few thousand tuples rather than a dict per (bucket, key, label).
    grouped = rows.values_list(bucket_field, key_field).annotate(
        n=Sum("count"),
        **{f"n_{label}": Sum("count", filter=Q(label=label)) for label in LABELS},
        reach=Sum("reach_sum"),
        engagement=Sum("engagement_sum"),
    )

    starts = _bucket_starts(request.bucket, request.start, request.end, tz)
    column = {start: n for n, start in enumerate(starts)}
    cells = {key: [None] * len(starts) for key in keys}
    by_date = request.bucket != "hour"
    for start, key_id, count, positive, neutral, negative, unscored, reach, engagement in (
        _driver_rows(grouped) if day_rows else grouped
    ):
        if by_date and type(start) is not date:  # from the driver: date_trunc's datetime, SQLite's text
            start = start.date() if isinstance(start, datetime) else date.fromisoformat(start[:10])
        row = cells.get(key_of.get(key_id))
        n = column.get(start)
        if row is None or n is None:
            continue  # a bucket or key outside the range asked for
        row[n] = (
            count,
            positive or 0,
            neutral or 0,
            negative or 0,
            unscored or 0,
            int(reach or 0),  # PostgreSQL sums bigints as numeric: Decimal
            int(engagement or 0),
        )

    def iso(start) -> str:
        moment = start if isinstance(start, datetime) else datetime.combine(start, time(), tz)
        return moment.astimezone(tz).isoformat()

    isos = [iso(start) for start in starts]
    empty = (0, 0, 0, 0, 0, 0, 0)

    def point(start: str, cell) -> dict:
        count, positive, neutral, negative, unscored, reach, engagement = cell or empty
        scored = positive + neutral + negative
        return {
            "start": start,
            "count": count,
            "positive": positive,
            "neutral": neutral,
            "negative": negative,
            "unscored": unscored,
            "net_sentiment": round((positive - negative) / scored, 4) if scored else None,
            "reach": reach,
            "engagement": engagement,
        }

    return {
        "bucket": request.bucket,
        "group_by": request.group_by,
        "tz": request.tz,
        "series": [
            {"key": key, "points": [point(start, cell) for start, cell in zip(isos, cells[key], strict=True)]}
            for key in keys
        ],
    }


@dataclass(frozen=True)
class Reputation:
    mentions: int
    previous_mentions: int
    net_sentiment: float | None  # (positive − negative) / scored


def reputation_summary(*, days: int = 30, today: date | None = None) -> Reputation:
    """Mention volume and net sentiment over the last `days` days against the days before (day rollups)."""
    today = today or datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    start, previous_start = today - timedelta(days=days - 1), today - timedelta(days=2 * days - 1)
    rows = (
        DailyRollup.objects.filter(term__isnull=True, bucket__gte=previous_start, bucket__lte=today)
        .values("label")
        .annotate(
            recent=Sum("count", filter=models.Q(bucket__gte=start)),
            earlier=Sum("count", filter=models.Q(bucket__lt=start)),
        )
    )
    recent = {row["label"]: row["recent"] or 0 for row in rows}
    earlier = sum(row["earlier"] or 0 for row in rows)
    scored = recent.get(Sentiment.POSITIVE, 0) + recent.get(Sentiment.NEUTRAL, 0) + recent.get(Sentiment.NEGATIVE, 0)
    net = (recent.get(Sentiment.POSITIVE, 0) - recent.get(Sentiment.NEGATIVE, 0)) / scored if scored else None
    return Reputation(mentions=sum(recent.values()), previous_mentions=earlier, net_sentiment=net)


def term_volumes(*, start: date, end: date) -> list[dict]:
    """Mentions per tracked term from `start` to `end` (inclusive days in TIME_ZONE), from the day rows summed
    over channels: `[{"term", "kind", "count", "net_sentiment"}]`, most mentioned first. Share of voice
    (the councils' quarterly reports) compares the brand's and its products' terms with the competitors'."""
    rows = (
        DailyTermRollup.objects.filter(bucket__gte=start, bucket__lte=end, term__isnull=False)
        .values("term__name", "term__kind")
        .annotate(
            n=Sum("count"),
            positive=Sum("count", filter=Q(label=Sentiment.POSITIVE)),
            negative=Sum("count", filter=Q(label=Sentiment.NEGATIVE)),
            scored=Sum("count", filter=~Q(label=Sentiment.UNSCORED)),
        )
        .order_by()
    )
    volumes = [
        {
            "term": row["term__name"],
            "kind": row["term__kind"],
            "count": row["n"] or 0,
            "net_sentiment": round(((row["positive"] or 0) - (row["negative"] or 0)) / row["scored"], 4)
            if row["scored"]
            else None,
        }
        for row in rows
    ]
    return sorted(volumes, key=lambda v: (-v["count"], v["term"]))
