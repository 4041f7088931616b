from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.models import TrackedTerm
from insights.selectors.rollups import SeriesRequest, rollup_series
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db
ROLLUPS = "/api/v1/rollups"


@pytest.fixture
def reader(api_client, settings):
    settings.TIME_ZONE = "America/New_York"
    client = api_client("mentions:read")
    TermFactory()
    TermFactory(name="Cherry Fizz", kind="product", query='"cherry fizz"')
    mentions_ingest(
        [
            item(1, text="I love carl's soda", published_at="2026-02-02T15:00:00Z"),
            item(2, text="carl's soda cherry fizz tastes awful", published_at="2026-02-02T16:30:00Z", channel="reddit"),
            item(3, text="cherry fizz, hola", language="es", published_at="2026-02-04T03:00:00Z"),
        ]
    )
    rollups_refresh()

    def get(**params):
        return client.get(ROLLUPS, params)

    return get


def test_a_daily_series_by_term_has_every_day_with_zeros(reader):
    body = reader(bucket="day", group_by="term", start="2026-02-01", end="2026-02-04").json()
    assert (body["bucket"], body["group_by"], body["tz"]) == ("day", "term", "America/New_York")
    series = {s["key"]: s["points"] for s in body["series"]}
    assert list(series) == ["Carl's Soda", "Cherry Fizz"]
    brand = series["Carl's Soda"]
    assert [p["start"] for p in brand] == [f"2026-02-0{d}T00:00:00-05:00" for d in (1, 2, 3, 4)]
    assert [p["count"] for p in brand] == [0, 2, 0, 0]
    assert brand[1] | {} == {
        "start": "2026-02-02T00:00:00-05:00",
        "count": 2,
        "positive": 1,
        "neutral": 0,
        "negative": 1,
        "unscored": 0,
        "net_sentiment": 0.0,
        "reach": 2400,
        "engagement": 16,
    }
    # 03:00 UTC on the 4th is still the 3rd in New York.
    assert [p["unscored"] for p in series["Cherry Fizz"]] == [0, 0, 1, 0]
    assert brand[0]["net_sentiment"] is None


def test_another_time_zone_moves_the_day_boundaries(reader):
    body = reader(bucket="day", group_by="label", start="2026-02-02", end="2026-02-04", tz="Asia/Tokyo").json()
    unscored = next(s for s in body["series"] if s["key"] == "unscored")["points"]
    assert [p["count"] for p in unscored] == [0, 0, 1]  # 12:00 on the 4th in Tokyo
    assert unscored[0]["start"] == "2026-02-02T00:00:00+09:00"


def test_by_channel_counts_each_mention_once(reader):
    body = reader(bucket="month", group_by="channel", start="2026-02-01", end="2026-02-28").json()
    totals = {s["key"]: s["points"][0]["count"] for s in body["series"]}
    assert totals["twitter"] == 2  # the mention that matched two terms is one mention
    assert totals["reddit"] == 1
    assert totals["call-centre"] == 0


def test_hour_buckets_and_a_term_filter(reader):
    body = reader(bucket="hour", group_by="channel", start="2026-02-02", end="2026-02-02", term="Cherry Fizz").json()
    reddit = next(s for s in body["series"] if s["key"] == "reddit")["points"]
    assert len(reddit) == 24
    assert [p["start"] for p in reddit if p["count"]] == ["2026-02-02T11:00:00-05:00"]


def test_week_and_quarter_buckets_start_on_their_first_day(reader):
    weeks = reader(bucket="week", group_by="label", start="2026-02-01", end="2026-02-10").json()["series"][0]
    assert [p["start"][:10] for p in weeks["points"]] == ["2026-01-26", "2026-02-02", "2026-02-09"]
    quarter = reader(bucket="quarter", group_by="term", start="2026-02-01", end="2026-02-10").json()["series"][0]
    assert [(p["start"][:10], p["count"]) for p in quarter["points"]] == [("2026-01-01", 2)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bucket": "year", "group_by": "term", "start": "2026-01-01", "end": "2026-01-02"}, "bucket"),
        ({"bucket": "day", "group_by": "term", "start": "2026-01-05", "end": "2026-01-02"}, "end is before start"),
        (
            {"bucket": "day", "group_by": "term", "start": "2026-01-01", "end": "2026-01-02", "tz": "Mars/Base"},
            "time zone",
        ),
        ({"bucket": "hour", "group_by": "term", "start": "2025-01-01", "end": "2026-01-02"}, "at most 92 days"),
        (
            {"bucket": "day", "group_by": "term", "start": "2026-01-01", "end": "2026-01-02", "term": "Nope"},
            "Unknown term",
        ),
        ({"bucket": "day", "group_by": "term", "start": "soon", "end": "2026-01-02"}, "start"),
    ],
)
def test_bad_requests_get_a_clear_400(reader, params, message):
    response = reader(**params)
    assert response.status_code == 400
    assert message in str(response.json())


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        # found by schemathesis on PostgreSQL: centuries of day buckets were a 500
        (
            {"bucket": "day", "group_by": "term", "start": "0290-09-28", "end": "2000-01-01", "channel": "00"},
            "start",
            "1900",
        ),
        ({"bucket": "day", "group_by": "term", "start": "2026-01-01", "end": "9999-12-31"}, "end", "2200"),
        (
            {"bucket": "day", "group_by": "term", "start": "1990-01-01", "end": "2026-01-01"},
            "end",
            "at most 3,660 days",
        ),
        (
            {"bucket": "week", "group_by": "label", "start": "1950-01-01", "end": "2026-01-01"},
            "end",
            "at most 9,150 days",
        ),
        ({"bucket": "quarter", "group_by": "channel", "start": "1900-01-01", "end": "2200-12-31"}, "end", "9,150"),
        ({"bucket": "hour", "group_by": "term", "start": "1900-01-01", "end": "1900-01-02"}, None, None),
    ],
)
def test_ranges_are_bounded_per_bucket_with_a_400_naming_the_parameter(reader, params, field, message):
    response = reader(**params)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in " ".join(error["details"][field])


def test_the_longest_ranges_allowed_answer(reader):
    assert reader(bucket="day", group_by="term", start="2016-11-01", end="2026-11-01").status_code == 200
    assert reader(bucket="month", group_by="label", start="2001-11-01", end="2026-11-01").status_code == 200


def _brand_counts(reader) -> list[int]:
    body = reader(bucket="day", group_by="term", start="2026-02-01", end="2026-02-04").json()
    return next(s for s in body["series"] if s["key"] == "Carl's Soda")["points"]


def test_the_answer_follows_the_next_rollup_pass(reader):
    assert [p["count"] for p in _brand_counts(reader)] == [0, 2, 0, 0]
    mentions_ingest([item(9, text="carl's soda again", published_at="2026-02-04T15:00:00Z")])
    assert [p["count"] for p in _brand_counts(reader)] == [0, 2, 0, 0]  # counted by the next pass, as before
    rollups_refresh()
    assert [p["count"] for p in _brand_counts(reader)] == [0, 2, 0, 1]


def test_a_renamed_term_names_its_series_at_once(reader):
    reader(bucket="day", group_by="term", start="2026-02-01", end="2026-02-04")
    TrackedTerm.objects.filter(name="Cherry Fizz").update(name="Cherry Fizz Zero")
    body = reader(bucket="day", group_by="term", start="2026-02-01", end="2026-02-04").json()
    assert [s["key"] for s in body["series"]] == ["Carl's Soda", "Cherry Fizz Zero"]


def _rollup_reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "insights_daily" in q["sql"]]


def test_a_repeated_request_reads_no_rollup_row_until_the_next_pass(reader):
    params = {"bucket": "day", "group_by": "term", "start": "2026-02-01", "end": "2026-02-04"}
    first = reader(**params)
    with CaptureQueriesContext(connection) as queries:
        again = reader(**params)
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert not _rollup_reads(queries)
    mentions_ingest([item(9, published_at="2026-02-03T15:00:00Z")])
    rollups_refresh()
    with CaptureQueriesContext(connection) as queries:
        reader(**params)
    assert _rollup_reads(queries)


def test_an_answer_larger_than_the_cache_limit_is_not_cached(reader, settings):
    params = {"bucket": "day", "group_by": "term", "start": "2026-02-01", "end": "2026-02-04"}
    settings.INSIGHTS_SERIES_CACHE_MAX_BYTES = 100  # smaller than this answer
    first = reader(**params | {"end": "2026-02-05"})
    with CaptureQueriesContext(connection) as queries:
        again = reader(**params | {"end": "2026-02-05"})
    assert again.content == first.content
    assert _rollup_reads(queries)  # computed again: nothing was kept


def test_the_series_are_the_same_as_the_uncached_selector(reader):
    params = {"bucket": "week", "group_by": "channel", "start": "2026-01-20", "end": "2026-02-10"}
    request = SeriesRequest(**params | {"start": date(2026, 1, 20), "end": date(2026, 2, 10)}, tz="America/New_York")
    assert reader(**params).json() == rollup_series(request)
