"""The external conversation of a period, as text: what the councils' conversation gap reads.

`mention_texts(start=…, end=…, limit=…)` answers how many mentions were published in [start, end) and the
text and sentiment label of all of them, or of a deterministic sample of `limit` when there are more, spread
evenly over the period. On millions of rows the sample is PostgreSQL's TABLESAMPLE SYSTEM with a fixed seed
(REPEATABLE): it reads about `limit` rows' worth of pages, never the whole range; smaller ranges are sampled by
a hash of the id. Either way the same rows give the same sample.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import CharField
from django.db.models.functions import MD5, Cast

from insights.models import Mention, TrackedTerm

SEED = 14
# Up to 10 × limit rows in range (and at least up to 200,000): sample by a hash of the id. More: TABLESAMPLE,
# whose pages are too coarse a grain for a small table.
HASH_SAMPLE_MAX = 10
HASH_SAMPLE_ROWS = 200_000


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
    total = in_range.count()
    if total <= limit:
        return TextSample(total, list(in_range.order_by("pk").values_list("text", "sentiment_label")))
    if connection.vendor != "postgresql" or total <= max(HASH_SAMPLE_MAX * limit, HASH_SAMPLE_ROWS):
        hashed = in_range.annotate(sample_key=MD5(Cast("pk", CharField()))).order_by("sample_key", "pk")
        return TextSample(total, list(hashed.values_list("text", "sentiment_label")[:limit]))
    return TextSample(total, _tablesample(start, end, limit, total))


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
