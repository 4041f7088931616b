"""The staff dashboard's figures over a date range: KPI tiles with their change against the previous
period of the same length, and the series of its charts.

Mention figures come from the rollups only (never a scan of mentions: the benchmark holds 5,000,000)
and are cached per rollup pass: the cache key holds insights' rollup generation, which every pass that
recounts something replaces, and the terms and channels that name the series. The other tiles read
each app's selectors, which count small tables (activities, clicks, alerts, seats).

Days and quarters are the organisation's (settings.TIME_ZONE): the day rollups are kept in it.
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.formats import date_format

from advocacy.selectors.program import program_seats, shares_counted
from advocacy.selectors.referrals import referral_totals
from insights.models import Alert, Channel, DailyRollup, DailyTermRollup, Sentiment, TrackedTerm
from insights.selectors.findings import findings_open_count
from insights.selectors.responses import overdue_count, response_times, response_total
from insights.selectors.rollups import LABELS, SeriesRequest, rollup_series, rollups_generation

MAX_SPAN_DAYS = 366  # a custom range covers at most a year (and a leap day): a bound on every series
RANGES = {"7": "Last 7 days", "30": "Last 30 days", "90": "Last 90 days", "quarter": "This quarter"}
DEFAULT_RANGE = "30"
WEEKLY_AFTER_DAYS = 31  # share of voice per week beyond a month: daily shares of a few mentions jump about
CACHE_SECONDS = 3600  # a bound on memory: entries go stale by key (the rollup generation), not by age
CACHE_FORMAT = 1  # part of the key: bump it when the cached shape changes


def org_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def org_today() -> date:
    return datetime.now(org_zone()).date()


def quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


@dataclass(frozen=True)
class DateRange:
    """Days `start`–`end` (both included) in the organisation's time zone; `key` the picker's choice."""

    start: date
    end: date
    key: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "DateRange":
        """The period of the same length just before."""
        return DateRange(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """The range as a half-open pair of aware datetimes."""
        zone = org_zone()
        return datetime.combine(self.start, time(), zone), datetime.combine(self.end + timedelta(days=1), time(), zone)

    def query(self) -> dict[str, str]:
        """The query string that asks for this range again (a shareable URL)."""
        if self.key in RANGES:
            return {"range": self.key}
        return {"range": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def label(self) -> str:
        span = f"{date_format(self.start)} – {date_format(self.end)}"  # the project's DATE_FORMAT
        return f"{RANGES[self.key]} ({span})" if self.key in RANGES else span


def date_range_preset(key: str, *, today: date | None = None) -> DateRange:
    """One of the picker's preset ranges, ending today (a quarter: from its first day to today)."""
    today = today or org_today()
    if key == "quarter":
        return DateRange(quarter_start(today), today, key)
    return DateRange(today - timedelta(days=int(key) - 1), today, key)


# --- Links to the inbox ------------------------------------------------------------------------------


def inbox_url(*, start: date | str, end: date | str, term: str = "", channel: str = "", label: str = "") -> str:
    """The inbox (insights:inbox) filtered as a chart point is: its days, and its term, channel or label.

    A chart of a year has thousands of points: the query is put together by hand, only the term and the
    channel (free text) quoted."""
    query = [f"term={quote_plus(term)}"] if term else []
    if channel:
        query.append(f"channel={quote_plus(channel)}")
    if label:
        query.append(f"label={label}")  # a Sentiment value: nothing to quote
    query.append(f"start={start}&end={end}")  # ISO days
    return f"{_inbox_path()}?{'&'.join(query)}"


@functools.cache
def _inbox_path() -> str:
    return reverse("insights:inbox")


# --- What the rollups say (cached per rollup pass) ---------------------------------------------------


def _scope() -> tuple:
    """The terms (name, kind) and active channels (slug, name): what names the series."""
    terms = tuple(TrackedTerm.objects.order_by("name").values_list("name", "kind"))
    channels = tuple(Channel.objects.filter(is_active=True).order_by("name").values_list("slug", "name"))
    return terms, channels


def rollup_figures(period: DateRange) -> dict:
    """Everything the dashboard reads from the rollups for `period` (and the one before), cached until
    the next rollup pass changes the counts."""
    scope = _scope()
    key_parts = (CACHE_FORMAT, rollups_generation(), settings.TIME_ZONE, period.start, period.end, scope)
    key = "dashboard:rollups:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = _rollup_figures(period, *scope)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _rollup_figures(period: DateRange, terms: tuple, channels: tuple) -> dict:
    tz = settings.TIME_ZONE
    by_label = rollup_series(SeriesRequest(bucket="day", group_by="label", start=period.start, end=period.end, tz=tz))
    days = [point["start"][:10] for point in by_label["series"][0]["points"]]
    labels = {series["key"]: [point["count"] for point in series["points"]] for series in by_label["series"]}

    voiced = [name for name, kind in terms if kind in (TrackedTerm.Kind.BRAND, TrackedTerm.Kind.COMPETITOR)]
    bucket = "day" if period.days <= WEEKLY_AFTER_DAYS else "week"
    voice: dict = {"bucket": bucket, "starts": [], "terms": {}}
    if voiced:
        by_term = rollup_series(
            SeriesRequest(bucket=bucket, group_by="term", start=period.start, end=period.end, tz=tz)
        )
        voice["starts"] = [point["start"][:10] for point in by_term["series"][0]["points"]]
        voice["terms"] = {
            series["key"]: [point["count"] for point in series["points"]]
            for series in by_term["series"]
            if series["key"] in voiced
        }

    channel_rows = (
        DailyRollup.objects.filter(term__isnull=True, bucket__gte=period.start, bucket__lte=period.end)
        .values_list("channel__slug", "label")
        .annotate(n=Sum("count"))
        .order_by()
    )
    per_channel: dict = {}
    for slug, label, n in channel_rows:
        per_channel.setdefault(slug, {})[label] = n
    names = dict(channels)
    for slug in per_channel:  # an inactive channel still had its mentions
        names.setdefault(slug, slug)
    by_channel = [
        (slug, name, {label: per_channel.get(slug, {}).get(label, 0) for label in LABELS})
        for slug, name in sorted(names.items(), key=lambda item: item[1].lower())
    ]
    return {
        "days": days,
        "labels": labels,
        "voice": voice,
        "by_channel": by_channel,
        "totals": _period_totals(period),
    }


def _period_totals(period: DateRange) -> dict:
    """Mentions by label, and brand and competitor mentions, in `period` and the one before: one query."""
    previous = period.previous()
    voiced = [TrackedTerm.Kind.BRAND, TrackedTerm.Kind.COMPETITOR]
    rows = (
        DailyTermRollup.objects.filter(bucket__gte=previous.start, bucket__lte=period.end)
        .filter(Q(term__isnull=True) | Q(term__kind__in=voiced))
        .values_list("term__kind", "label")
        .annotate(
            now=Sum("count", filter=Q(bucket__gte=period.start)), before=Sum("count", filter=Q(bucket__lt=period.start))
        )
        .order_by()
    )
    totals = {"now": {}, "before": {}}
    for kind, label, now, before in rows:
        key = label if kind is None else kind  # every mention once by label; brand/competitor by kind
        totals["now"][key] = totals["now"].get(key, 0) + (now or 0)
        totals["before"][key] = totals["before"].get(key, 0) + (before or 0)
    return totals


# --- KPI tiles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str
    value: str | None  # None: no data yet
    caption: str
    change: str = ""  # against the previous period, in words
    trend: str = ""  # "up", "down" or "": an arrow beside `change`
    number: float | None = None  # the raw figures, for exports and tests
    previous: float | None = None


def _trend(now, before) -> str:
    if now is None or before is None or now == before:
        return ""
    return "up" if now > before else "down"


def _relative_change(now: float, before: float, period: DateRange) -> str:
    span = f"the previous {period.days} days"
    if before == 0:
        return f"none in {span}" if now else f"none in {span} either"
    return f"{(now - before) / before:+.0%} on {span} ({before:,.0f})"


def _net(counts: dict) -> float | None:
    scored = sum(counts.get(label, 0) for label in (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE))
    return (counts.get(Sentiment.POSITIVE, 0) - counts.get(Sentiment.NEGATIVE, 0)) / scored if scored else None


def _voice(counts: dict) -> float | None:
    brand, competitor = counts.get(TrackedTerm.Kind.BRAND, 0), counts.get(TrackedTerm.Kind.COMPETITOR, 0)
    return brand / (brand + competitor) if brand + competitor else None


def _count_tile(key: str, title: str, now: int, before: int, caption: str, period: DateRange) -> Kpi:
    return Kpi(key, title, f"{now:,}", caption, _relative_change(now, before, period), _trend(now, before), now, before)


def mention_tiles(period: DateRange, totals: dict) -> list[Kpi]:
    """Volume, net sentiment and share of voice, from the rollup totals."""
    now, before = totals["now"], totals["before"]
    volume = sum(now.get(label, 0) for label in LABELS)
    volume_before = sum(before.get(label, 0) for label in LABELS)
    span = f"the previous {period.days} days"
    tiles = [_count_tile("volume", "Mention volume", volume, volume_before, "Mentions of every term", period)]

    net, net_before = _net(now), _net(before)
    tiles.append(
        Kpi(
            "sentiment",
            "Net sentiment",
            None if net is None else f"{net:+.2f}",
            "(positive − negative) ÷ scored mentions, from −1 to +1",
            "" if net is None or net_before is None else f"{net - net_before:+.2f} on {span} ({net_before:+.2f})",
            _trend(net, net_before),
            net,
            net_before,
        )
    )
    voice, voice_before = _voice(now), _voice(before)
    tiles.append(
        Kpi(
            "share_of_voice",
            "Share of voice",
            None if voice is None else f"{voice:.0%}",
            "The brand's mentions against tracked competitors' (brand and competitor terms)",
            ""
            if voice is None or voice_before is None
            else f"{(voice - voice_before) * 100:+.1f} points on {span} ({voice_before:.0%})",
            _trend(voice, voice_before),
            voice,
            voice_before,
        )
    )
    return tiles


def program_tiles(period: DateRange) -> list[Kpi]:
    """Engagement, referral traffic and returning customers, from the program's selectors."""
    previous = period.previous()
    start, end = period.bounds()
    shares, shares_before = shares_counted(start, end), shares_counted(*previous.bounds())
    referrals = referral_totals(period.start, period.end)
    referrals_before = referral_totals(previous.start, previous.end)
    return [
        _count_tile("engagement", "Engagement", shares, shares_before, "Posts of program content shared", period),
        _count_tile(
            "referrals",
            "Referral traffic",
            referrals["clicks"],
            referrals_before["clicks"],
            "Counted clicks on ambassadors' referral links",
            period,
        ),
        _count_tile(
            "returning",
            "Returning customers",
            referrals["returning_customers"],
            referrals_before["returning_customers"],
            "Referred customers who bought again",
            period,
        ),
    ]


def seats_tile() -> Kpi:
    """Ambassador seats used now, of the program's limit (100)."""
    seats = program_seats()
    waitlist = f"; {seats['waitlist']} waiting" if seats["waitlist"] else ""
    return Kpi(
        "seats",
        "Ambassador seats",
        f"{seats['seats_used']} of {seats['seat_limit']}",
        f"Seats used now (active and paused members){waitlist}",
        number=seats["seats_used"],
    )


def minutes_text(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    if minutes < 120:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def response_tiles(period: DateRange) -> list[Kpi]:
    """Median first-response time (against the previous period) and the overdue count now."""
    total, before = (
        response_total(start=period.start, end=period.end),
        response_total(start=period.previous().start, end=period.previous().end),
    )
    median, median_before = total["median_minutes"], before["median_minutes"]
    overdue_now = overdue_count()
    change = ""
    if median is not None and median_before is not None:
        change = f"{median - median_before:+.0f} min on the previous {period.days} days ({minutes_text(median_before)})"
    return [
        Kpi(
            "response",
            "Median first response",
            None if median is None else minutes_text(median),
            f"Over {total['responded']:,} answered mentions",
            change,
            _trend(median, median_before),
            median,
            median_before,
        ),
        Kpi(
            "overdue",
            "Overdue",
            f"{overdue_now:,}",
            f"Past their channel's target with no response now; {total['overdue']:,} in this range went past it",
            number=overdue_now,
        ),
    ]


def state_tiles(period: DateRange) -> list[Kpi]:
    """Open alerts and open findings: what is open now (alerts also: opened in the range and before)."""
    start, end = period.bounds()
    previous_start, _ = period.previous().bounds()
    alerts = Alert.objects.aggregate(
        open=Count("pk", filter=~Q(status=Alert.Status.CLOSED)),
        opened=Count("pk", filter=Q(opened_at__gte=start, opened_at__lt=end)),
        opened_before=Count("pk", filter=Q(opened_at__gte=previous_start, opened_at__lt=start)),
    )
    opened, opened_before = alerts["opened"], alerts["opened_before"]
    tiles = [
        Kpi(
            "alerts",
            "Open alerts",
            f"{alerts['open']:,}",
            "Volume spikes and negative surges not closed yet",
            f"{opened:,} opened in these {period.days} days, {opened_before:,} in the {period.days} before",
            _trend(opened, opened_before),
            alerts["open"],
        )
    ]
    count = findings_open_count()
    tiles.append(Kpi("findings", "Open findings", f"{count:,}", "Findings not done or declined yet", number=count))
    return tiles


def staff_kpis(period: DateRange, figures: dict | None = None) -> list[Kpi]:
    """Every tile of the staff dashboard for `period`, in the order shown (`figures`: rollup_figures())."""
    figures = figures or rollup_figures(period)
    return [
        *mention_tiles(period, figures["totals"]),
        *program_tiles(period),
        *response_tiles(period),
        *state_tiles(period),
        seats_tile(),
    ]


# --- Charts --------------------------------------------------------------------------------------------

HUMAN_LABELS = dict(Sentiment.choices)
LABEL_COLOURS = {  # positive, neutral, negative, unscored
    Sentiment.POSITIVE: "#198754",
    Sentiment.NEUTRAL: "#6c757d",
    Sentiment.NEGATIVE: "#dc3545",
    Sentiment.UNSCORED: "#adb5bd",
}


@dataclass(frozen=True)
class DashboardChart:
    """One chart's series, ready for a chart, its table alternative and its CSV: the value of series
    `s` at `x[i]` is `series[s][1][i]`, and `links[s][i]` the inbox's matching mentions (or None)."""

    slug: str
    title: str
    description: str
    kind: str  # a core.charts class: ColumnChart, LineChart or BarChart
    x_title: str
    x: list[str]
    series: list[tuple[str, list]]
    links: list[list[str | None]] | None = None
    options: tuple = ()  # chartkick options, as pairs
    empty_text: str = "No mentions in this range."
    height: str = "300px"

    @property
    def empty(self) -> bool:
        return not any(value for _, values in self.series for value in values)

    def rows(self) -> list[tuple[str, list[tuple]]]:
        """The table alternative: one row per x, a (value, url) cell per series."""
        return [
            (
                x,
                [(values[i], self.links[s][i] if self.links else None) for s, (_, values) in enumerate(self.series)],
            )
            for i, x in enumerate(self.x)
        ]

    def csv_rows(self):
        yield [self.x_title, *(name for name, _ in self.series)]
        for x, cells in self.rows():
            yield [x, *("" if value is None else value for value, _ in cells)]

    def chartkick_data(self) -> list[dict]:
        return [{"name": name, "data": list(zip(self.x, values, strict=True))} for name, values in self.series]


CHARTS = ("volume", "sentiment", "share-of-voice", "channels", "response-times")


def _days_of(period: DateRange, first: str, bucket: str) -> tuple[date, date]:
    """The days of the bucket that starts on `first`, within the period."""
    start = date.fromisoformat(first)
    end = start + timedelta(days=6 if bucket == "week" else 0)
    return max(start, period.start), min(end, period.end)


def _volume_chart(period: DateRange, figures: dict, links: bool) -> DashboardChart:
    days = figures["days"]
    return DashboardChart(
        "volume",
        "Mentions per day by sentiment",
        "How many mentions each day brought, stacked by their sentiment label.",
        "ColumnChart",
        "Day",
        days,
        [(HUMAN_LABELS[label], figures["labels"][label]) for label in LABELS],
        [[inbox_url(start=d, end=d, label=label) for d in days] for label in LABELS] if links else None,
        (("stacked", True), ("colors", [LABEL_COLOURS[label] for label in LABELS])),
    )


def _sentiment_chart(period: DateRange, figures: dict, links: bool) -> DashboardChart:
    days, labels = figures["days"], figures["labels"]
    nets = [
        None if net is None else round(net, 3)
        for net in (_net({label: labels[label][i] for label in LABELS}) for i in range(len(days)))
    ]
    return DashboardChart(
        "sentiment",
        "Net sentiment per day",
        "(positive − negative) ÷ scored mentions each day, from −1 to +1; a gap is a day with none scored.",
        "LineChart",
        "Day",
        days,
        [("Net sentiment", nets)],
        [[inbox_url(start=d, end=d) for d in days]] if links else None,
        (("min", -1), ("max", 1), ("curve", False), ("colors", ["#7a1f2b"])),
        "No scored mentions in this range.",
    )


def _voice_chart(period: DateRange, figures: dict, links: bool) -> DashboardChart:
    voice = figures["voice"]
    starts, terms, bucket = voice["starts"], voice["terms"], voice["bucket"]
    totals = [sum(counts[i] for counts in terms.values()) for i in range(len(starts))]
    series = [
        (name, [round(100 * counts[i] / totals[i], 1) if totals[i] else None for i in range(len(starts))])
        for name, counts in terms.items()
    ]
    spans = [_days_of(period, first, bucket) for first in starts]
    return DashboardChart(
        "share-of-voice",
        f"Share of voice per {bucket}",
        f"Each brand and competitor term's share (%) of their mentions together, per {bucket}.",
        "LineChart",
        "Week of" if bucket == "week" else "Day",
        starts,
        series,
        [[inbox_url(start=s, end=e, term=name) for s, e in spans] for name in terms] if links else None,
        (("suffix", "%"), ("min", 0), ("max", 100), ("curve", False)),
        "No brand or competitor mentions in this range (terms of the kinds brand and competitor).",
    )


def _channel_chart(period: DateRange, figures: dict, links: bool) -> DashboardChart:
    channels = figures["by_channel"]
    return DashboardChart(
        "channels",
        "Mentions by channel",
        "How many mentions each channel brought in the range, stacked by sentiment.",
        "BarChart",
        "Channel",
        [name for _, name, _ in channels],
        [(HUMAN_LABELS[label], [counts[label] for _, _, counts in channels]) for label in LABELS],
        [
            [inbox_url(start=period.start, end=period.end, channel=slug, label=label) for slug, _, _ in channels]
            for label in LABELS
        ]
        if links
        else None,
        (
            ("stacked", True),
            ("colors", [LABEL_COLOURS[label] for label in LABELS]),
            ("library", {"scales": {"y": {"ticks": {"autoSkip": False}}}}),  # every channel named
        ),
        height=f"{max(160, 28 * len(channels) + 80)}px",
    )


def _response_chart(period: DateRange, links: bool) -> DashboardChart:
    groups = response_times(start=period.start, end=period.end, group_by="week")
    weeks = [str(group["key"])[:10] for group in groups]
    spans = [_days_of(period, week, "week") for week in weeks]
    return DashboardChart(
        "response-times",
        "First-response time per week",
        "The median and the 90th percentile of the minutes to a first response, per week (Monday first).",
        "LineChart",
        "Week of",
        weeks,
        [
            ("Median (minutes)", [group["median_minutes"] for group in groups]),
            ("90th percentile (minutes)", [group["p90_minutes"] for group in groups]),
        ],
        [[inbox_url(start=s, end=e) for s, e in spans]] * 2 if links else None,
        (("curve", False), ("colors", ["#7a1f2b", "#6c757d"])),
        "No answered mentions in this range.",
    )


def dashboard_charts(period: DateRange, figures: dict | None = None, *, links: bool) -> list[DashboardChart]:
    """The dashboard's charts for `period`, in CHARTS order; `links` to the inbox (insights staff only)."""
    figures = figures or rollup_figures(period)
    return [
        _volume_chart(period, figures, links),
        _sentiment_chart(period, figures, links),
        _voice_chart(period, figures, links),
        _channel_chart(period, figures, links),
        _response_chart(period, links),
    ]


def dashboard_chart(period: DateRange, slug: str, *, links: bool = False) -> DashboardChart:
    """One chart by its slug (one of CHARTS)."""
    if slug == "response-times":
        return _response_chart(period, links)
    builders = {
        "volume": _volume_chart,
        "sentiment": _sentiment_chart,
        "share-of-voice": _voice_chart,
        "channels": _channel_chart,
    }
    return builders[slug](period, rollup_figures(period), links)
