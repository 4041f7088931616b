"""GET /api/v1/response-times: its figures equal a plain count over the raw mentions, follow responses once the
next rollup pass runs, count overdue mentions as of now, and refuse bad ranges with the API's error shape."""

import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import Department
from insights.models import Channel, Mention, ResponseDailyRollup, ResponseRollupClock
from insights.selectors.responses import overdue_count, response_times
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.triage import mention_respond, mentions_no_action, mentions_route
from insights.tests.factories import item

pytestmark = pytest.mark.django_db

# Response minutes chosen on the histogram's steps (exact under an hour; 90 on a 5-minute step, 150 on 10, 300 on
# 15, 1680 on 2 hours), so that the rollup's percentiles equal the raw ones exactly.
TWITTER = [3, 7, 7, 12, 45, 59, 90, 150, None, None]  # target 60 minutes; None: unanswered
REDDIT = [30, 300, 1680, None]  # target 24 hours
CALL_CENTRE = [5, 1680, None]  # no target


@pytest.fixture
def dataset(departments):
    """Mentions over two weeks ending three days ago, some answered, some routed, one marked no action."""
    targets = {"twitter": 60, "reddit": 24 * 60, "call-centre": None}
    for slug, minutes in targets.items():
        Channel.objects.filter(slug=slug).update(response_target_minutes=minutes)
    marketing, service = departments
    now = timezone.now().replace(second=0, microsecond=0)
    mentions, n = [], 0
    for slug, answers in (("twitter", TWITTER), ("reddit", REDDIT), ("call-centre", CALL_CENTRE)):
        for i, minutes in enumerate(answers * 2):
            n += 1
            published = now - timedelta(days=3 + (n * 5) % 14, hours=n % 7)
            result = mentions_ingest([item(n, channel=slug, published_at=published.isoformat())])
            mention = Mention.objects.get(pk=result.created_ids[0])
            if minutes is not None:
                mention_respond(mention=mention, by=None, at=published + timedelta(minutes=minutes))
            if i % 3 == 0:
                mentions_route(mentions=[mention.pk], department=marketing if i % 2 else service, by=None)
            mentions.append(mention)
    mentions_no_action(mentions=[mentions[1].pk, mentions[-2].pk], by=None)
    rollups_refresh()
    return mentions


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _nearest_rank(values: list[int], fraction: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(fraction * len(ordered) - 1e-9) - 1]


def raw_figures(start: date, end: date, group_by: str) -> dict[str, dict]:
    """The figures counted straight from the mentions, as the API documents them."""
    now = timezone.now()
    groups: dict[str, dict] = defaultdict(lambda: {"mentions": 0, "minutes": [], "within_target": 0, "overdue": 0})
    for m in Mention.objects.exclude(status="no_action").select_related("channel", "department"):
        day = _local_day(m.published_at)
        if not start <= day <= end or (group_by == "department" and m.department is None):
            continue
        key = {
            "week": (day - timedelta(days=day.weekday())).isoformat(),
            "channel": m.channel.slug,
            "department": m.department.slug if m.department else None,
        }[group_by]
        group = groups[key]
        group["mentions"] += 1
        if m.first_response_at is not None:
            group["minutes"].append(int((m.first_response_at - m.published_at).total_seconds() // 60))
            if m.response_due_at is None or m.first_response_at <= m.response_due_at:
                group["within_target"] += 1
        elif m.response_due_at is not None and m.response_due_at < now:
            group["overdue"] += 1
    return {
        key: {
            "key": key,
            "mentions": g["mentions"],
            "responded": len(g["minutes"]),
            "median_minutes": _nearest_rank(g["minutes"], 0.5),
            "p90_minutes": _nearest_rank(g["minutes"], 0.9),
            "within_target": g["within_target"],
            "overdue": g["overdue"],
        }
        for key, g in groups.items()
    }


def _range() -> tuple[date, date]:
    today = _local_day(timezone.now())
    return today - timedelta(days=20), today


@pytest.mark.parametrize("group_by", ["channel", "week", "department"])
def test_figures_equal_a_count_over_the_raw_mentions(dataset, api_client, group_by):
    start, end = _range()
    response = api_client("mentions:read").get(
        "/api/v1/response-times", {"start": start.isoformat(), "end": end.isoformat(), "group_by": group_by}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["group_by"]) == (start.isoformat(), end.isoformat(), group_by)
    answered = {g["key"]: g for g in body["groups"] if g["mentions"]}
    assert answered == raw_figures(start, end, group_by)
    assert sum(g["responded"] for g in body["groups"]) > 0


def test_a_channel_s_figures_by_hand(dataset, api_client):
    """Twitter: 20 mentions, one marked no action; 15 answered of which 11 within the hour; 4 overdue."""
    start, end = _range()
    groups = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}
    twitter = groups["twitter"]
    assert twitter["mentions"] == 19  # mentions[1] (twitter, 7 minutes) needs no action
    assert twitter["responded"] == 15  # 3 3 7 7 7 12 12 45 45 59 59 90 90 150 150
    assert twitter["median_minutes"] == 45  # the 8th of 15
    assert twitter["p90_minutes"] == 150  # the 14th (⌈0.9 × 15⌉) of 15
    assert twitter["within_target"] == 11  # 3, 7, 7, 12, 45, 59 twice, less one 7
    assert twitter["overdue"] == 4
    assert groups["call-centre"]["within_target"] == groups["call-centre"]["responded"]  # no target: nothing to miss


def test_every_week_of_the_range_is_listed_by_its_monday(dataset):
    start, end = date(2026, 3, 4), date(2026, 3, 30)  # a Wednesday to a Monday, with no mentions
    groups = response_times(start=start, end=end, group_by="week")
    assert [g["key"] for g in groups] == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]
    assert groups[0] == {
        "key": "2026-03-02",
        "mentions": 0,
        "responded": 0,
        "median_minutes": None,
        "p90_minutes": None,
        "within_target": 0,
        "overdue": 0,
    }


def test_a_response_after_a_pass_counts_once_the_next_pass_runs(dataset):
    start, end = _range()
    overdue = Mention.objects.filter(channel__slug="twitter", first_response_at__isnull=True).first()
    before = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}["twitter"]
    mention_respond(mention=overdue, by=None, at=overdue.published_at + timedelta(minutes=600))
    stale = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}["twitter"]
    assert stale == before  # the rollups hold until the next pass
    rollups_refresh()
    after = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}["twitter"]
    assert after["responded"] == before["responded"] + 1
    assert after["overdue"] == before["overdue"] - 1
    assert after["within_target"] == before["within_target"]  # ten hours late
    assert after == raw_figures(start, end, "channel")["twitter"]


def test_mentions_falling_due_after_a_pass_are_overdue_at_once(dataset, api_client):
    """Overdue is as of now: a mention that falls due between passes counts without waiting for one."""
    published = timezone.now() - timedelta(minutes=10)
    mentions_ingest([item(900, channel="twitter", published_at=published.isoformat())])
    rollups_refresh()
    start, end = _range()
    count = overdue_count()
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        groups = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}
        assert groups["twitter"]["overdue"] == raw_figures(start, end, "channel")["twitter"]["overdue"]
        assert overdue_count() == count + 1
        rollups_refresh()  # the pass counts it into its rollups: no double count
        assert {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")} == groups
        assert overdue_count() == count + 1


def test_the_first_pass_after_the_migration_counts_every_day(dataset):
    """Before any pass has counted response times (no clock), a pass with no marks still fills every day."""
    start, end = _range()
    expected = response_times(start=start, end=end, group_by="channel")
    ResponseDailyRollup.objects.all().delete()
    ResponseRollupClock.objects.all().delete()
    assert rollups_refresh()["rows"] > 0
    assert response_times(start=start, end=end, group_by="channel") == expected
    assert rollups_refresh()["rows"] == 0  # and then nothing, until something changes or falls due


def test_overdue_count_equals_the_overdue_queue(dataset):
    expected = Mention.objects.filter(first_response_at__isnull=True, response_due_at__lt=timezone.now()).exclude(
        status="no_action"
    )
    assert overdue_count() == expected.count() > 0


def test_marking_no_action_takes_a_mention_out_once_the_pass_runs(dataset):
    start, end = _range()
    overdue = Mention.objects.filter(channel__slug="reddit", first_response_at__isnull=True).first()
    mentions_no_action(mentions=[overdue.pk], by=None)
    rollups_refresh()
    reddit = {g["key"]: g for g in response_times(start=start, end=end, group_by="channel")}["reddit"]
    assert reddit == raw_figures(start, end, "channel")["reddit"]


def test_only_routed_mentions_count_by_department(dataset):
    start, end = _range()
    groups = response_times(start=start, end=end, group_by="department")
    routed = Mention.objects.filter(department__isnull=False).exclude(status="no_action").count()
    assert sum(g["mentions"] for g in groups) == routed > 0
    assert {g["key"] for g in groups} <= set(Department.objects.values_list("slug", flat=True))


def test_a_year_by_week_reads_a_few_rows(dataset, api_client, django_assert_max_num_queries):
    client = api_client("mentions:read")
    end = _local_day(timezone.now())
    with django_assert_max_num_queries(6):
        response = client.get(
            "/api/v1/response-times",
            {"start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat(), "group_by": "week"},
        )
    assert response.status_code == 200
    assert len(response.json()["groups"]) in (53, 54)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"end": "2026-01-31", "group_by": "week"}, "start"),
        ({"start": "2026-01-01", "group_by": "week"}, "end"),
        ({"start": "2026-02-30", "end": "2026-03-31", "group_by": "week"}, "start"),
        ({"start": "yesterday", "end": "2026-03-31", "group_by": "week"}, "start"),
        ({"start": "2026-01-01", "end": "2026-01-31", "group_by": "hour"}, "group_by"),
        ({"start": "2026-01-01", "end": "2026-01-31"}, "group_by"),
        ({"start": "2026-02-01", "end": "2026-01-31", "group_by": "week"}, "end"),
        ({"start": "2025-01-01", "end": "2026-01-02", "group_by": "week"}, "end"),  # 367 days
        ({"start": "0001-01-01", "end": "0001-01-31", "group_by": "week"}, "start"),
    ],
)
def test_bad_queries_are_refused_naming_the_field(api_client, assert_api_error, query, field):
    response = api_client("mentions:read").get("/api/v1/response-times", query)
    error = assert_api_error(response, 400, "invalid")
    assert field in error["details"], error


def test_a_year_with_a_leap_day_is_allowed(api_client):
    response = api_client("mentions:read").get(
        "/api/v1/response-times", {"start": "2028-01-01", "end": "2028-12-31", "group_by": "channel"}
    )
    assert response.status_code == 200
    assert response.json()["groups"] == []


def test_it_needs_the_read_scope(api_client, assert_api_error):
    response = api_client("mentions:write").get(
        "/api/v1/response-times", {"start": "2026-01-01", "end": "2026-01-31", "group_by": "week"}
    )
    assert_api_error(response, 403, "permission_denied")
