"""DailyTermRollup: the day rollups summed over channels, and the series that read them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from insights.models import (
    DailyRollup,
    DailyTermRollup,
    HourlyRollup,
    Mention,
    MentionTerm,
    RollupMark,
    Sentiment,
    TrackedTerm,
)
from insights.selectors.rollups import SeriesRequest, _series, _series_context, rollup_series
from insights.services.corrections import mention_relabel, mentions_delete
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.terms import term_delete
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a week, a month and a quarter end within 10 days


def summed_over_channels() -> dict:
    """DailyRollup's rows summed by day, term and label: what DailyTermRollup must hold."""
    rows = DailyRollup.objects.values("bucket", "term_id", "label").annotate(
        n=Sum("count"), reach=Sum("reach_sum"), engagement=Sum("engagement_sum"), sentiment=Sum("sentiment_sum")
    )
    return {
        (r["bucket"], r["term_id"], r["label"]): (r["n"], r["reach"], r["engagement"], round(r["sentiment"], 6))
        for r in rows
    }


def day_term_rows() -> dict:
    rows = DailyTermRollup.objects.values_list(
        "bucket", "term_id", "label", "count", "reach_sum", "engagement_sum", "sentiment_sum"
    )
    return {(b, t, label): (n, reach, engagement, round(s, 6)) for b, t, label, n, reach, engagement, s in rows}


def test_a_pass_sums_the_day_rows_over_channels():
    brand = TermFactory()
    mentions_ingest(
        [
            item(1, published_at="2026-03-02T15:00:00Z"),
            item(2, published_at="2026-03-02T16:00:00Z", channel="reddit"),
            item(3, text="carl's soda, hola", language="es", published_at="2026-03-02T17:00:00Z"),
        ]
    )
    rollups_refresh()
    day = date(2026, 3, 2)
    assert DailyTermRollup.objects.get(bucket=day, term=brand, label=Sentiment.POSITIVE).count == 2
    assert DailyTermRollup.objects.get(bucket=day, term=None, label=Sentiment.POSITIVE).reach_sum == 2400
    assert DailyTermRollup.objects.get(bucket=day, term=None, label=Sentiment.UNSCORED).count == 1
    assert day_term_rows() == summed_over_channels()


def test_a_day_left_without_mentions_keeps_no_summed_row():
    TermFactory()
    mentions_ingest([item(1, published_at="2026-03-02T15:00:00Z"), item(2, published_at="2026-03-03T15:00:00Z")])
    rollups_refresh()
    mentions_delete(mention_ids=[Mention.objects.get(external_id="post-1").pk])
    rollups_refresh()
    assert set(DailyTermRollup.objects.values_list("bucket", flat=True)) == {date(2026, 3, 3)}


def test_a_relabel_moves_the_summed_count_to_the_new_label():
    TermFactory()
    mentions_ingest([item(1, published_at="2026-03-02T15:00:00Z"), item(2, published_at="2026-03-02T16:00:00Z")])
    rollups_refresh()
    staff = User.objects.create_user(email="ana@carlssoda.example")
    mention_relabel(mention=Mention.objects.get(external_id="post-1"), label=Sentiment.NEGATIVE, by=staff)
    rollups_refresh()
    totals = dict(DailyTermRollup.objects.filter(term=None).values_list("label", "count"))
    assert totals == {"positive": 1, "negative": 1}
    assert day_term_rows() == summed_over_channels()


def test_deleting_a_term_deletes_its_summed_rows_and_keeps_the_totals():
    brand = TermFactory()
    mentions_ingest([item(1, published_at="2026-03-02T15:00:00Z")])
    rollups_refresh()
    term_delete(term=brand)
    assert list(DailyTermRollup.objects.values_list("term_id", "count")) == [(None, 1)]


def _tables_read(request: SeriesRequest) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        rollup_series(request)
    tables = ("insights_dailyrollup", "insights_dailytermrollup")
    return {table for table in tables for q in queries.captured_queries if f'"{table}"' in q["sql"]}


@pytest.mark.parametrize(
    ("group_by", "channel", "table"),
    [
        ("term", None, "insights_dailytermrollup"),
        ("label", None, "insights_dailytermrollup"),
        ("channel", None, "insights_dailyrollup"),
        ("term", "reddit", "insights_dailyrollup"),
    ],
)
def test_series_over_every_channel_read_the_summed_rows(group_by, channel, table):
    TermFactory()
    mentions_ingest([item(1, published_at="2026-03-02T15:00:00Z")])
    rollups_refresh()
    request = SeriesRequest(
        bucket="week",
        group_by=group_by,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        tz=django_settings.TIME_ZONE,
        channel=channel,
    )
    assert _tables_read(request) == {table}


VOCABULARY = ["carl's soda", "cherry fizz", "love", "awful", "flat", "great", "hola"]
HOURS = 24 * 10


@st.composite
def histories(draw):
    """Batches of mentions over ten days and three channels, with relabels, deletions and passes between."""
    ops = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["ingest", "ingest", "relabel", "delete", "refresh"]))
        if kind == "ingest":
            batch = [
                {
                    "n": draw(st.integers(0, 60)),
                    "hours": draw(st.integers(0, HOURS)),
                    "channel": draw(st.sampled_from(["twitter", "reddit", "call-centre"])),
                    "text": " ".join(draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4))),
                    "language": draw(st.sampled_from(["en", "en", "es"])),
                    "reach": draw(st.integers(0, 5000)),
                    "likes": draw(st.integers(0, 50)),
                }
                for _ in range(draw(st.integers(1, 10)))
            ]
            ops.append(("ingest", batch))
        elif kind in ("relabel", "delete"):
            ops.append((kind, draw(st.integers(0, 1000)), draw(st.sampled_from(["positive", "neutral", "negative"]))))
        else:
            ops.append(("refresh",))
    first = draw(st.integers(-3, 10))
    return ops, first, draw(st.integers(first, 14))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_the_summed_rows_answer_as_the_rows_per_channel_do(history):
    ops, first, last = history
    for model in (MentionTerm, Mention, HourlyRollup, DailyRollup, DailyTermRollup, RollupMark, TrackedTerm):
        model.objects.all().delete()
    TermFactory()
    TermFactory(name="Cherry Fizz", kind="product", query='"cherry fizz"')
    staff, _ = User.objects.get_or_create(email="ana@carlssoda.example")
    for op in ops:
        if op[0] == "ingest":
            mentions_ingest(
                [
                    item(
                        i["n"],
                        channel=i["channel"],
                        text=i["text"],
                        language=i["language"],
                        published_at=(BASE + timedelta(hours=i["hours"], minutes=i["n"])).isoformat(),
                        author={"reach": i["reach"]},
                        engagement={"likes": i["likes"], "shares": 0, "comments": 1},
                    )
                    for i in op[1]
                ]
            )
        elif op[0] in ("relabel", "delete"):
            mentions = list(Mention.objects.order_by("pk"))
            if mentions:
                mention = mentions[op[1] % len(mentions)]
                if op[0] == "relabel":
                    mention_relabel(mention=mention, label=op[2], by=staff)
                else:
                    mentions_delete(mention_ids=[mention.pk])
        else:
            rollups_refresh()
    rollups_refresh()
    assert day_term_rows() == summed_over_channels()

    context = _series_context()
    start, end = BASE.date() + timedelta(days=first), BASE.date() + timedelta(days=last)
    for bucket in ("day", "week", "month", "quarter"):
        for group_by in ("term", "label"):
            for term in (None, "Cherry Fizz"):
                request = SeriesRequest(bucket, group_by, start, end, django_settings.TIME_ZONE, term=term)
                assert _series(request, context) == _series(request, context, channel_rows=True), request
