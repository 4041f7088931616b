"""Response time: how fast mentions get their first answer, per channel, week or department, and what is overdue.

Figures come from ResponseDailyRollup (recounted by the rollup pass), never from a scan of the mentions: only the
mentions that fell due since the last pass are counted live, from the index of unanswered mentions by due time.

What counts (the same everywhere: the API, the dashboard, the overdue queue):
- `mentions`: mentions published in the range (the organisation's days) that need a response, i.e. whose status
  is not "no action needed";
- `responded`: those with a first response; `median_minutes` and `p90_minutes` are nearest-rank percentiles of
  their response minutes (first response − publication, whole minutes rounded down), null when none responded,
  read from a histogram whose steps (minute_step) are exact under an hour and low by under 8.4 % above it;
- `within_target`: responded no later than their due time; a mention whose channel has no target counts as within
  target once responded (there was nothing to miss);
- `overdue`: no response yet and past their due time now (a mention with no target is never overdue).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from core.exceptions import ApplicationError
from insights.models import Mention, ResponseDailyRollup, ResponseRollupClock

GROUP_BY = ("channel", "week", "department")
MAX_DAYS = 366  # a year, leap day included: the dashboard's longest range, and a bound on the work behind an answer


class InvalidResponseTimesRequest(ApplicationError):
    """A range or grouping the figures cannot be given for (a 400 "invalid", as a bad parameter is)."""


STEPS = ((60, 1), (120, 5), (180, 10), (360, 15), (720, 30), (1440, 60), (2880, 120), (5760, 240), (8640, 480))


def minute_step(minutes: int) -> int:
    """The lower edge of the histogram step that holds `minutes`: each minute under an hour, then steps that grow
    with the time (5 minutes under 2 hours … 8 hours under 6 days, 12 hours under 12 days, a day beyond), each
    at most a twelfth of the times it holds: a percentile read from them is low by less than 8.4 %."""
    minutes = max(minutes, 0)
    for limit, step in (*STEPS, (17280, 720)):
        if minutes < limit:
            return minutes // step * step
    return minutes // 1440 * 1440


def histogram_percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The nearest-rank percentile (the smallest time with at least `fraction` of the responses at or under it),
    as its step's lower edge; None for an empty histogram."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-int(round(fraction * total * 1000)) // 1000))  # ceil(fraction × total), immune to 0.9×10
    seen = 0
    for edge in sorted(histogram):
        seen += histogram[edge]
        if seen >= rank:
            return edge
    return max(histogram)  # unreachable: the last step holds the total


def _check(start: date, end: date, group_by: str) -> None:
    if group_by not in GROUP_BY:
        raise InvalidResponseTimesRequest(
            f"group_by: must be one of {', '.join(GROUP_BY)}.", extra={"group_by": [f"One of {', '.join(GROUP_BY)}."]}
        )
    if end < start:
        raise InvalidResponseTimesRequest("end: must not be before start.", extra={"end": ["Not before start."]})
    if (end - start).days + 1 > MAX_DAYS:
        message = f"At most {MAX_DAYS} days from start to end, both included."
        raise InvalidResponseTimesRequest(f"end: {message}", extra={"end": [message]})


def _org_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _utc_range(start: date, end: date) -> tuple[datetime, datetime]:
    tz = _org_zone()
    return (
        datetime.combine(start, time(), tz).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC),
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def overdue_counted_at() -> datetime | None:
    """When the rollup pass last counted overdue mentions; None before its first pass."""
    return ResponseRollupClock.objects.values_list("counted_at", flat=True).first()


def _unanswered() -> Q:
    return Q(first_response_at__isnull=True, response_due_at__isnull=False) & ~Q(status=Mention.Status.NO_ACTION)


def mentions_fallen_due(since: datetime | None, now: datetime) -> QuerySet:
    """Mentions that need a response, have none, and fell due in [since, now): read from the partial index of
    unanswered mentions by due time (mention_unanswered_due_idx). `since` None: every one past due."""
    due = Q(response_due_at__lt=now) if since is None else Q(response_due_at__gte=since, response_due_at__lt=now)
    return Mention.objects.filter(_unanswered() & due)


TOTAL = "total"  # not a grouping of the API: every mention of the range in one group (the dashboard's tiles)


def _key_of(group_by: str, day: date, channel_slug: str | None, department_slug: str | None) -> str | None:
    if group_by == TOTAL:
        return TOTAL
    if group_by == "week":
        return _monday(day).isoformat()
    return channel_slug if group_by == "channel" else department_slug


def _empty() -> dict:
    return {"mentions": 0, "responded": 0, "within_target": 0, "overdue": 0, "histogram": defaultdict(int)}


def response_times(*, start: date, end: date, group_by: str) -> list[dict]:
    """Response-time figures per channel (its slug), week (its Monday, YYYY-MM-DD; the first and last weeks hold
    only their days inside the range) or department (its slug; routed mentions only), for the mentions published
    from `start` to `end` (both included, the organisation's days). Weeks come in order, every one of the range
    included; channels and departments by slug, those with mentions only. Raises InvalidResponseTimesRequest."""
    _check(start, end, group_by)
    return _grouped(start, end, group_by)


def response_total(*, start: date, end: date) -> dict:
    """The figures of response_times() over every mention from `start` to `end` as one group (key "total"):
    the true median and 90th percentile of them all."""
    _check(start, end, "week")
    return _grouped(start, end, TOTAL)[0]


def _grouped(start: date, end: date, group_by: str) -> list[dict]:
    rows = ResponseDailyRollup.objects.filter(bucket__gte=start, bucket__lte=end)
    if group_by in ("week", TOTAL):
        rows = rows.filter(channel__isnull=True, department__isnull=True)
    elif group_by == "channel":
        rows = rows.filter(channel__isnull=False)
    else:
        rows = rows.filter(department__isnull=False)
    groups: dict[str, dict] = defaultdict(_empty)
    if group_by == TOTAL:
        groups[TOTAL]  # noqa: B018 (one group, even with no mention)
    if group_by == "week":
        for monday in range(_monday(start).toordinal(), end.toordinal() + 1, 7):
            groups[date.fromordinal(monday).isoformat()]  # noqa: B018 (every week, zeros included)
    fields = ("bucket", "channel__slug", "department__slug", "mentions", "responded", "within_target", "overdue")
    for day, channel, department, mentions, responded, within, overdue, histogram in rows.values_list(
        *fields, "histogram"
    ):
        group = groups[_key_of(group_by, day, channel, department)]
        group["mentions"] += mentions
        group["responded"] += responded
        group["within_target"] += within
        group["overdue"] += overdue
        for edge, count in histogram.items():
            group["histogram"][int(edge)] += count

    # Live: the mentions that fell due since the pass counted (or, before any pass, every overdue one).
    tz, (utc_start, utc_end) = _org_zone(), _utc_range(start, end)
    fallen = mentions_fallen_due(overdue_counted_at(), timezone.now()).filter(
        published_at__gte=utc_start, published_at__lt=utc_end
    )
    if group_by == "department":
        fallen = fallen.filter(department__isnull=False)
    for published_at, channel, department in fallen.values_list("published_at", "channel__slug", "department__slug"):
        groups[_key_of(group_by, published_at.astimezone(tz).date(), channel, department)]["overdue"] += 1

    return [
        {
            "key": key,
            "mentions": group["mentions"],
            "responded": group["responded"],
            "median_minutes": histogram_percentile(group["histogram"], 0.5),
            "p90_minutes": histogram_percentile(group["histogram"], 0.9),
            "within_target": group["within_target"],
            "overdue": group["overdue"],
        }
        for key, group in sorted(groups.items())
    ]


def overdue_count() -> int:
    """How many mentions are overdue now (no response, past due, needing one): the rollups' count as of the last
    pass plus those that fell due since."""
    counted_at = overdue_counted_at()
    live = mentions_fallen_due(counted_at, timezone.now()).count()
    if counted_at is None:
        return live
    totals = ResponseDailyRollup.objects.filter(channel__isnull=True, department__isnull=True)
    return (totals.aggregate(n=Sum("overdue"))["n"] or 0) + live


@dataclass(frozen=True)
class OverduePage:
    mentions: list[Mention]
    has_next: bool


def overdue_queue(*, page: int = 1, per_page: int = 50) -> OverduePage:
    """Mentions past their due time with no response (and needing one), the latest first: read from the partial
    index by due time. No total count here (it would scan them all): overdue_count() gives it from the rollups."""
    offset = (max(page, 1) - 1) * per_page
    rows = list(
        mentions_fallen_due(None, timezone.now())
        .select_related("channel", "assignee", "department")
        .order_by("response_due_at", "pk")[offset : offset + per_page + 1]
    )
    return OverduePage(mentions=rows[:per_page], has_next=len(rows) > per_page)
