"""Incremental rollups: recount only the hours (and days) whose mentions changed.

A pass reads the marks left by writes (RollupMark), recounts those UTC hours
and the organisation's days they touch with grouped queries, replaces their
rollup rows (and, from the new day rows, those days' rows summed over channels,
DailyTermRollup), recounts the response-time rows of those days and of the days
whose unanswered mentions fell due since the last pass (ResponseDailyRollup),
and deletes exactly the marks it read, all in one transaction:
a pass that crashes leaves everything as it was, and running it twice gives
the same numbers. Writes that land during a pass leave marks it did not read,
so the next pass counts them.
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Func, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncHour
from django.utils import timezone

from insights.models import (
    DailyRollup,
    DailyTermRollup,
    HourlyRollup,
    Mention,
    MentionTerm,
    ResponseDailyRollup,
    ResponseRollupClock,
    RollupMark,
)
from insights.selectors.responses import STEPS, mentions_fallen_due
from insights.selectors.rollups import GENERATION_TABLE

HOUR = timedelta(hours=1)
ROLLUP_LOCK = 7_142_025  # an arbitrary, fixed key for PostgreSQL's advisory lock


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def rollup_marks_add(hours: Iterable[datetime]) -> None:
    """Mark hours whose mentions changed, for the next incremental rollup pass."""
    RollupMark.objects.bulk_create([RollupMark(hour=hour) for hour in {hour_of(h) for h in hours}])


def _generation_replace() -> None:
    """A new random token rather than a counter: a pass rolled back (a test, a crash) cannot make a
    later pass reuse the name of counts that a cache has already seen."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {GENERATION_TABLE} SET token = %s WHERE id = 1", [uuid.uuid4().hex])


def _lock() -> None:
    """One pass at a time (PostgreSQL); SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
            # A pass recounts a few hours of big tables: look their links up by index rather than hash
            # every link (the default random_page_cost of 4 assumes spinning disks), and skip JIT, whose
            # compilation costs more than it saves on these statements. Group in memory.
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")


def _ranges(starts: list[datetime], length) -> list[tuple[datetime, datetime]]:
    """Merge sorted bucket starts into contiguous [start, end) ranges."""
    ranges: list[list[datetime]] = []
    for start in sorted(starts):
        end = start + length(start)
        if ranges and ranges[-1][1] >= start:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return [(a, b) for a, b in ranges]


def _within(ranges, prefix="") -> Q:
    q = Q()
    for start, end in ranges:
        q |= Q(**{f"{prefix}published_at__gte": start, f"{prefix}published_at__lt": end})
    return q


def _aggregates(prefix=""):
    return {
        "count": Count("pk"),
        "sentiment_sum": Coalesce(Sum(f"{prefix}sentiment_score"), 0.0),
        "reach_sum": Coalesce(Sum(f"{prefix}author_reach"), 0),
        "engagement_sum": Coalesce(Sum(F(f"{prefix}likes") + F(f"{prefix}shares") + F(f"{prefix}comments")), 0),
    }


RANGES_PER_QUERY = 100  # OR-ed ranges per grouped query: keeps SQL expression trees shallow


def _recount(model, ranges, bucket_function) -> int:
    """Rows of `model` for the buckets in `ranges` (all buckets when None)."""
    if ranges is None:
        return _recount_where(model, None, bucket_function)
    return sum(
        _recount_where(model, ranges[i : i + RANGES_PER_QUERY], bucket_function)
        for i in range(0, len(ranges), RANGES_PER_QUERY)
    )


def _recount_where(model, ranges, bucket_function) -> int:
    """Two INSERT … SELECT … GROUP BY statements: the totals (each mention once), and per term.

    The rows never travel through Python: the database groups and writes them.
    """
    totals = (
        Mention.objects.filter(_within(ranges) if ranges is not None else Q())
        .annotate(bucket=bucket_function("published_at"))
        .values("bucket", "channel_id", "sentiment_label")
        .annotate(**_aggregates())
    )
    by_term = (
        MentionTerm.objects.filter(_within(ranges, "mention__") if ranges is not None else Q())
        .annotate(bucket=bucket_function("mention__published_at"))
        .values("bucket", "mention__channel_id", "term_id", "mention__sentiment_label")
        .annotate(**_aggregates("mention__"))
    )
    return _insert_grouped(model, totals, ["channel_id", None, "sentiment_label"]) + _insert_grouped(
        model, by_term, ["mention__channel_id", "term_id", "mention__sentiment_label"]
    )


def _insert_grouped(model, grouped, dimensions: list[str | None]) -> int:
    """Insert the grouped rows; `dimensions` names the query's channel, term and label columns."""
    q = connection.ops.quote_name
    sql, params = grouped.query.sql_with_params()
    columns = ["bucket", "channel_id", "term_id", "label", "count", "sentiment_sum", "reach_sum", "engagement_sum"]
    sources = ["bucket", *dimensions, "count", "sentiment_sum", "reach_sum", "engagement_sum"]
    select = ", ".join(f"g.{q(source)}" if source else "NULL" for source in sources)
    with connection.cursor() as cursor:
        table, names = q(model._meta.db_table), ", ".join(q(c) for c in columns)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM ({sql}) g", params)
        return cursor.rowcount


def _refill_day_terms(days: list | None) -> int:
    """Replace the DailyTermRollup rows of `days` (every day when None) with their DailyRollup rows
    summed over channels: run after those day rows were recounted, in the same transaction.

    The days' old rows go, then one INSERT … SELECT … GROUP BY writes the new ones, as the pass
    does for the rows it sums from: a day × term × label left without mentions keeps no row, and
    the totals (a null term, which GROUP BY keeps in one group) need no upsert of their own.
    """
    day_rows, old = DailyRollup.objects.all(), DailyTermRollup.objects.all()
    if days is not None:
        day_rows, old = day_rows.filter(bucket__in=days), old.filter(bucket__in=days)
    old.delete()
    grouped = day_rows.values("bucket", "term_id", "label").annotate(
        n=Sum("count"), sentiments=Sum("sentiment_sum"), reach=Sum("reach_sum"), engagement=Sum("engagement_sum")
    )
    q = connection.ops.quote_name
    sql, params = grouped.query.sql_with_params()
    columns = ["bucket", "term_id", "label", "count", "sentiment_sum", "reach_sum", "engagement_sum"]
    sources = ["bucket", "term_id", "label", "n", "sentiments", "reach", "engagement"]
    select = ", ".join(f"g.{q(source)}" for source in sources)
    with connection.cursor() as cursor:
        table, names = q(DailyTermRollup._meta.db_table), ", ".join(q(c) for c in columns)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM ({sql}) g", params)
        return cursor.rowcount


def _org_days(hours: list[datetime], tz: ZoneInfo) -> list:
    """The organisation's days that the given UTC hours overlap (an hour can span two days)."""
    days = set()
    for hour in hours:
        days.add(hour.astimezone(tz).date())
        days.add((hour + HOUR - timedelta(microseconds=1)).astimezone(tz).date())
    return sorted(days)


def _day_range(day, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def rollups_refresh(*, rebuild: bool = False) -> dict:
    """Recount the marked hours and days (or everything, with `rebuild`). Returns what was done."""
    tz = ZoneInfo(settings.TIME_ZONE)
    hour_bucket = lambda field: TruncHour(field, tzinfo=UTC)  # noqa: E731
    day_bucket = lambda field: TruncDate(field, tzinfo=tz)  # noqa: E731
    with transaction.atomic():
        _lock()
        now = timezone.now()
        marks = list(RollupMark.objects.values_list("pk", "hour"))
        if rebuild:
            HourlyRollup.objects.all().delete()
            DailyRollup.objects.all().delete()
            rows = _recount(HourlyRollup, None, hour_bucket) + _recount(DailyRollup, None, day_bucket)
            rows += _refill_day_terms(None) + _response_recount(None, now, tz)
            RollupMark.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
            _generation_replace()
            return {"hours": "all", "days": "all", "rows": rows}
        hours = sorted({hour.astimezone(UTC) for _, hour in marks})
        days = _org_days(hours, tz)
        response_days = _response_days(days, now, tz)
        if not marks and response_days == []:  # None: no pass has counted response times yet
            return {"hours": 0, "days": 0, "rows": 0}
        rows = 0
        if marks:
            HourlyRollup.objects.filter(bucket__in=hours).delete()
            DailyRollup.objects.filter(bucket__in=days).delete()
            rows += _recount(HourlyRollup, _ranges(hours, lambda _: HOUR), hour_bucket)
            day_ranges = _ranges([_day_range(d, tz)[0] for d in days], lambda start: _day_length(start, tz))
            rows += _recount(DailyRollup, day_ranges, day_bucket)
            rows += _refill_day_terms(days)
            RollupMark.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
        rows += _response_recount(response_days, now, tz)
        _generation_replace()
    return {"hours": len(hours), "days": len(days), "rows": rows}


# --- Response times ------------------------------------------------------------


def _response_days(marked_days: list, now: datetime, tz: ZoneInfo) -> list | None:
    """The days whose response-time rows this pass recounts: the marked ones, and those of the mentions that fell
    due since the last pass (their `overdue` changed with time alone). None, before any pass: every day."""
    counted_at = ResponseRollupClock.objects.values_list("counted_at", flat=True).first()
    if counted_at is None:
        return None
    fallen = mentions_fallen_due(counted_at, now).annotate(day=TruncDate("published_at", tzinfo=tz))
    return sorted(set(marked_days) | set(fallen.values_list("day", flat=True).distinct()))


class ResponseStep(Func):
    """The histogram step (insights.selectors.responses.minute_step) of a mention's first-response time, in SQL."""

    output_field = IntegerField()

    def __init__(self):
        super().__init__(F("first_response_at"), F("published_at"))

    def as_sql(self, compiler, connection, **extra_context):
        (answered, answered_params), (published, published_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            minutes = f"CAST(FLOOR(EXTRACT(EPOCH FROM ({answered} - {published})) / 60) AS integer)"
        else:  # SQLite: Julian days, rounded to the second first so that whole minutes stay whole
            minutes = f"(CAST(ROUND((julianday({answered}) - julianday({published})) * 86400) AS INTEGER) / 60)"
        whens = [f"WHEN {{m}} < {limit} THEN {{m}} / {step} * {step}" for limit, step in (*STEPS, (17280, 720))]
        template = f"CASE WHEN {{m}} < 0 THEN 0 {' '.join(whens)} ELSE {{m}} / 1440 * 1440 END"
        uses = template.count("{m}")
        return template.replace("{m}", minutes), (answered_params + published_params) * uses


def _response_recount(days: list | None, now: datetime, tz: ZoneInfo) -> int:
    """Replace the ResponseDailyRollup rows of `days` (every day when None): two grouped reads of the days'
    mentions (counts, and responded mentions per histogram step) by day × channel × department, summed here into
    the three grains (a channel, a department, the day). Overdue is counted as of `now`, which the clock keeps."""
    needing = Mention.objects.exclude(status=Mention.Status.NO_ACTION)
    old = ResponseDailyRollup.objects.all()
    if days is not None:
        day_ranges = _ranges([_day_range(d, tz)[0] for d in days], lambda start: _day_length(start, tz))
        needing = needing.filter(_within(day_ranges))
        old = old.filter(bucket__in=days)
    by_cell = needing.annotate(day=TruncDate("published_at", tzinfo=tz)).values("day", "channel_id", "department_id")
    answered = Q(first_response_at__isnull=False)
    on_time = Q(response_due_at__isnull=True) | Q(first_response_at__lte=F("response_due_at"))  # no target: on time
    counts = by_cell.annotate(
        n=Count("pk"),
        responded=Count("pk", filter=answered),
        within=Count("pk", filter=answered & on_time),
        overdue=Count("pk", filter=Q(first_response_at__isnull=True, response_due_at__lt=now)),
    )
    steps = by_cell.filter(answered).annotate(step=ResponseStep()).values("day", "channel_id", "department_id", "step")
    rollups: dict[tuple, ResponseDailyRollup] = {}

    def grains(day, channel_id, department_id):
        keys = [(day, channel_id, None), (day, None, None)]
        if department_id is not None:
            keys.append((day, None, department_id))
        for key in keys:
            if key not in rollups:
                rollups[key] = ResponseDailyRollup(bucket=key[0], channel_id=key[1], department_id=key[2])
            yield rollups[key]

    for cell in counts:
        for rollup in grains(cell["day"], cell["channel_id"], cell["department_id"]):
            rollup.mentions += cell["n"]
            rollup.responded += cell["responded"]
            rollup.within_target += cell["within"]
            rollup.overdue += cell["overdue"]
    for cell in steps.annotate(n=Count("pk")):
        for rollup in grains(cell["day"], cell["channel_id"], cell["department_id"]):
            key = str(cell["step"])
            rollup.histogram[key] = rollup.histogram.get(key, 0) + cell["n"]
    old.delete()
    ResponseDailyRollup.objects.bulk_create(rollups.values(), batch_size=2000)
    ResponseRollupClock.objects.update_or_create(pk=1, defaults={"counted_at": now})
    return len(rollups)


def _day_length(utc_start: datetime, tz: ZoneInfo) -> timedelta:
    """23, 24 or 25 hours: the length of the local day that starts at `utc_start`."""
    local_day = utc_start.astimezone(tz).date()
    start, end = _day_range(local_day, tz)
    return end - start
