"""The external conversation of a period, as text: what the councils' conversation gap reads.

`mention_texts(start=…, end=…, limit=…)` answers how many mentions were published in [start, end) and the
text and sentiment label of all of them, or of a deterministic sample of `limit` when there are more, spread
evenly over the period. On millions of rows the sample is PostgreSQL's TABLESAMPLE SYSTEM with a fixed seed
(REPEATABLE): it reads about `limit` rows' worth of pages, never the whole range; smaller ranges are sampled by
a hash of the id. Either way the same rows give the same sample.

Counting a million rows takes seconds, so the range is counted up to a cap only; beyond it the total is the
daily rollups' (DailyTermRollup, every mention once), which the rollup pass keeps up to date within minutes,
and an exact count only when the rollups know less than the cap (not rolled up yet).
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Sum
from django.db.models.functions import MD5, Cast

from insights.models import DailyTermRollup, Mention, TrackedTerm

SEED = 14
# Up to 10 × limit rows in range (and at least up to 20,000): sample by a hash of the id. More: TABLESAMPLE,
# whose pages are too coarse a grain for a small table.
HASH_SAMPLE_MAX = 10
HASH_SAMPLE_ROWS = 20_000


@dataclass
class TextSample:
    total: int  # mentions in the period
    rows: list[tuple[str, str]]  # (text, sentiment label) of all of them or of the sample

    @property
    def sampled(self) -> bool:
        return len(self.rows) < self.total


def mention_texts(*, start: datetime, end: datetime, limit: int) -> TextSample:
    """The period's mentions' (text, sentiment label): all of them up to `limit`, else a fixed sample."""
    in_range = Mention.objects.filter(published_at__gte=start, published_at__lt=end)
    cap = max(HASH_SAMPLE_MAX * limit, HASH_SAMPLE_ROWS)
    total = in_range[: cap + 1].count()  # counts up to cap + 1 rows
    if total > cap:
        total = _rolled_up_total(start, end)
        if total <= cap:  # the rollups are behind: count (slow, but right)
            total = in_range.count()
    if total <= limit:
        return TextSample(total, list(in_range.order_by("pk").values_list("text", "sentiment_label")))
    if connection.vendor != "postgresql" or total <= cap:
        hashed = in_range.annotate(sample_key=MD5(Cast("pk", CharField()))).order_by("sample_key", "pk")
        return TextSample(total, list(hashed.values_list("text", "sentiment_label")[:limit]))
    return TextSample(total, _tablesample(start, end, limit, total))


def _rolled_up_total(start: datetime, end: datetime) -> int:
    """Mentions in [start, end) by the daily rollups: whole days in the organisation's zone (the quarters' are)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    rows = DailyTermRollup.objects.filter(term__isnull=True, bucket__gte=first, bucket__lt=last)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def _tablesample(start: datetime, end: datetime, limit: int, total: int) -> list[tuple[str, str]]:
    """About `limit` of the range's rows: the pages TABLESAMPLE picks hold that share of every range's rows
    (a little more is read, then the rows with the lowest id hash kept, so never more than `limit`)."""
    percent = min(100.0, 100.0 * limit * 1.1 / total)
    table = connection.ops.quote_name(Mention._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT text, sentiment_label FROM {table} TABLESAMPLE SYSTEM (%s) REPEATABLE (%s) "  # noqa: S608
            "WHERE published_at >= %s AND published_at < %s ORDER BY md5(id::text), id LIMIT %s",
            [percent, SEED, start, end, limit],
        )
        return [(text, label) for text, label in cursor.fetchall()]


def brand_words() -> list[str]:
    """The brand's names and queries (its tracked terms of kind brand): words in every mention, naming no theme."""
    return [
        part
        for name, query in TrackedTerm.objects.filter(kind=TrackedTerm.Kind.BRAND).values_list("name", "query")
        for part in (name, query)
    ]
