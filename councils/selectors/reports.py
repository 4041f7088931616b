"""The quarterly report of a council: every figure of the issue's JSON contract, the previous quarter beside it.

`report_compute()` builds the whole report from the other apps' selectors (rollups, never raw mentions);
`report_for()` answers what the page and the API show: the stored figures of a published report, else a
draft computed now. Every figure that has a previous quarter is `{"current": x, "previous": y}`.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone

from advocacy.selectors.program import program_seats
from advocacy.selectors.recognition import program_activity, top_advocates
from advocacy.selectors.referrals import referral_totals
from core.exceptions import ApplicationError
from core.validators import EARLIEST_DATE
from councils.models import ActionItem, Council, Report, Spotlight
from councils.quarters import Quarter, QuarterError
from councils.selectors.gap import conversation_gap
from insights.selectors.findings import findings_in_quarter
from insights.selectors.responses import response_total
from insights.selectors.rollups import SeriesRequest, rollup_series, term_volumes
from intranet.feedback_selectors import feedback_topics_of_quarter, pulse_trend
from intranet.idea_selectors import idea_status_changes, ideas_top_of_period
from intranet.post_selectors import intranet_activity

ENPS_TREND_QUARTERS = 4
THEMES_PER_SIDE = 3  # most positive and most negative external themes


class ReportNotFound(ApplicationError):
    """No such report: a council or quarter that does not exist, or a quarter that has not begun."""

    status_code = 404
    code = "not_found"


class QuarterNotBegun(ReportNotFound):
    code = "quarter_not_begun"


class InvalidQuarter(ReportNotFound):
    """A quarter not written like 2026-Q3: the API's 400 (a page answers 404 for it, as for any bad address)."""

    status_code = 400
    code = "invalid_quarter"


def report_quarter(text: str, *, now: datetime | None = None, api: bool = False) -> Quarter:
    """The quarter named by `text` ("2026-Q3"); ReportNotFound (InvalidQuarter for the API) when malformed,
    QuarterNotBegun when in the future."""
    try:
        quarter = Quarter.parse(text)
    except QuarterError as exc:
        raise (InvalidQuarter if api else ReportNotFound)(str(exc)) from None
    earliest = Quarter.of(EARLIEST_DATE)  # the rollups' earliest day; a report reads four quarters back
    for _ in range(ENPS_TREND_QUARTERS - 1):
        earliest = earliest.next
    if quarter < earliest:
        raise (InvalidQuarter if api else ReportNotFound)(f"Reports cover the quarters from {earliest} on.")
    if not quarter.has_begun(now):
        raise QuarterNotBegun(
            f"{quarter} has not begun: it starts on {formats.date_format(quarter.first_day, 'DATE_FORMAT')}, "
            "so there is nothing to report yet."
        )
    return quarter


def report_council(kind: str) -> Council:
    council = Council.objects.filter(kind=kind).first()
    if council is None:
        raise ReportNotFound(f"There is no council {kind!r}: it is brand or customer.")
    return council


def report_row(*, council: Council, quarter: Quarter) -> Report | None:
    return Report.objects.filter(council=council, quarter=str(quarter)).select_related("published_by").first()


def report_for(*, council: Council, quarter: Quarter) -> dict:
    """What the page and the API show: the frozen figures of a published report, else a draft computed now."""
    row = report_row(council=council, quarter=quarter)
    if row is not None and row.status == Report.Status.PUBLISHED:
        return row.data
    return report_compute(council=council, quarter=quarter)


def reports_of(*, council: Council, now: datetime | None = None, recent: int = 4) -> list[dict]:
    """The council's reports for the index and the API list: the last `recent` quarters (this one included),
    and every older quarter with a stored report, newest first: `{"quarter", "status", "published_at", "partial"}`."""
    current = Quarter.of(now or timezone.now())
    rows = {r.quarter: r for r in Report.objects.filter(council=council)}
    quarters = {str(q) for q in current.last(recent)} | {q for q in rows if Quarter.parse(q) <= current}
    listed = []
    for text in sorted(quarters, reverse=True):
        row = rows.get(text)
        listed.append(
            {
                "quarter": text,
                "status": row.status if row else Report.Status.DRAFT,
                "published_at": row.published_at if row else None,
                "partial": Quarter.parse(text) == current,
            }
        )
    return listed


# --- The computation ------------------------------------------------------------------------------


def report_compute(*, council: Council, quarter: Quarter, now: datetime | None = None) -> dict:
    """The whole report of `council` for `quarter` as the contract's JSON (a draft: status and published_at
    are the publisher's to set). A quarter in progress is `partial`, counted up to today."""
    now = now or timezone.now()
    if not quarter.has_begun(now):
        raise QuarterNotBegun(f"{quarter} has not begun: there is nothing to report yet.")
    current, previous = _Period(quarter, now), _Period(quarter.previous, now)
    if council.kind == Council.Kind.BRAND:
        sections = _brand_sections(current, previous)
    else:
        sections = _customer_sections(current, previous, now)
    sections["action_items"] = _action_items(council, current)
    gap = conversation_gap(quarter=quarter, trend_quarters=4)
    if council.kind == Council.Kind.BRAND:
        sections["themes"] = _external_themes(gap)
    return _jsonable(
        {
            "council": council.kind,
            "quarter": str(quarter),
            "status": Report.Status.DRAFT.value,
            "published_at": None,
            "partial": quarter.in_progress(now),
            "computed_at": now,
            "sections": sections,
            "conversation_gap": gap,
        }
    )


class _Period:
    """A quarter's bounds: aware datetimes (half-open) and days (inclusive), cut at today while in progress."""

    def __init__(self, quarter: Quarter, now: datetime):
        self.quarter = quarter
        self.start = quarter.start
        self.end = min(quarter.end, now)
        self.first_day = quarter.first_day
        today = timezone.localtime(now, quarter.start.tzinfo).date()
        self.last_day = min(quarter.end.date() - timedelta(days=1), today)


def _pair(current, previous) -> dict:
    return {"current": current, "previous": previous}


def _pairs(current: dict, previous: dict) -> dict:
    return {key: _pair(current[key], previous.get(key)) for key in current}


def _brand_sections(current: _Period, previous: _Period) -> dict:
    now_mentions, before_mentions = _mentions(current), _mentions(previous)
    seats = program_seats()
    return {
        "mentions": {
            "volume": _pair(now_mentions["volume"], before_mentions["volume"]),
            "net_sentiment": _pair(now_mentions["net_sentiment"], before_mentions["net_sentiment"]),
            "weekly": now_mentions["weekly"],
            "previous_weekly": before_mentions["weekly"],
        },
        "share_of_voice": _share_of_voice(current, previous),
        "findings": _findings(current, previous),
        "program": {
            "seats_used": seats["seats_used"],  # now: the program keeps no history of its seats
            "seat_limit": seats["seat_limit"],
            "waitlist": seats["waitlist"],
            **_pairs(
                program_activity(start=current.start, end=current.end),
                program_activity(start=previous.start, end=previous.end),
            ),
            **_pairs(referral_totals(current.start, current.end), referral_totals(previous.start, previous.end)),
        },
        "top_advocates": top_advocates(start=current.start, end=current.end),
        "response_time": _response_time(current, previous),
    }


def _mentions(period: _Period) -> dict:
    series = rollup_series(
        SeriesRequest(
            bucket="week", group_by="label", start=period.first_day, end=period.last_day, tz=settings.TIME_ZONE
        )
    )
    weeks: dict[str, dict] = {}
    for line in series["series"]:
        for point in line["points"]:
            week = weeks.setdefault(point["start"][:10], {"count": 0, "positive": 0, "negative": 0, "scored": 0})
            week["count"] += point["count"]
            week["positive"] += point["positive"]
            week["negative"] += point["negative"]
            week["scored"] += point["positive"] + point["neutral"] + point["negative"]
    weekly = [
        {"week": start, "count": w["count"], "net_sentiment": _net(w["positive"], w["negative"], w["scored"])}
        for start, w in sorted(weeks.items())
    ]
    total = {k: sum(w[k] for w in weeks.values()) for k in ("count", "positive", "negative", "scored")}
    return {
        "volume": total["count"],
        "net_sentiment": _net(total["positive"], total["negative"], total["scored"]),
        "weekly": weekly,
    }


def _net(positive: int, negative: int, scored: int) -> float | None:
    return round((positive - negative) / scored, 4) if scored else None


def _share_of_voice(current: _Period, previous: _Period) -> dict:
    def shares(period: _Period) -> tuple[list[dict], dict]:
        volumes = term_volumes(start=period.first_day, end=period.last_day)
        total = sum(v["count"] for v in volumes)
        by_kind: dict[str, int] = {}
        for v in volumes:
            v["share"] = round(v["count"] / total, 4) if total else 0.0
            side = "competitors" if v["kind"] == "competitor" else "ours"
            by_kind[side] = by_kind.get(side, 0) + v["count"]
        return volumes, {
            side: round(by_kind.get(side, 0) / total, 4) if total else 0.0 for side in ("ours", "competitors")
        }

    terms, sides = shares(current)
    before_terms, before_sides = shares(previous)
    before = {v["term"]: v["share"] for v in before_terms}
    for v in terms:
        v["previous_share"] = before.get(v["term"])
    return {
        "ours": _pair(sides["ours"], before_sides["ours"]),
        "competitors": _pair(sides["competitors"], before_sides["competitors"]),
        "terms": terms,
    }


def _findings(current: _Period, previous: _Period) -> dict:
    items = findings_in_quarter(start=current.first_day, end=current.last_day)
    before = findings_in_quarter(start=previous.first_day, end=previous.last_day)
    by_status: dict[str, int] = {}
    for item in items:
        by_status[item["status"]] = by_status.get(item["status"], 0) + 1
    return {
        "count": _pair(len(items), len(before)),
        "by_status": by_status,
        "items": items,
    }


def _response_time(current: _Period, previous: _Period) -> dict:
    now = response_total(start=current.first_day, end=current.last_day)
    before = response_total(start=previous.first_day, end=previous.last_day)
    keys = ("mentions", "responded", "median_minutes", "p90_minutes", "within_target", "overdue")
    return {key: _pair(now[key], before[key]) for key in keys}


def _customer_sections(current: _Period, previous: _Period, now: datetime) -> dict:
    today = timezone.localtime(now, current.start.tzinfo).date()
    first = current.quarter
    for _ in range(ENPS_TREND_QUARTERS - 1):
        first = first.previous
    pulse = {
        p.quarter: p.overall
        for p in pulse_trend(start=first.first_day, end=current.quarter.end.date() - timedelta(days=1), today=today)
    }
    enps_trend = [
        {
            "quarter": str(q),
            "enps": pulse[str(q)].enps if str(q) in pulse else None,
            "responses": pulse[str(q)].responses if str(q) in pulse else None,
        }
        for q in current.quarter.last(ENPS_TREND_QUARTERS)
    ]
    by_quarter = {row["quarter"]: row for row in enps_trend}
    spotlights = Spotlight.objects.filter(status=Spotlight.Status.PUBLISHED)
    return {
        "intranet_activity": _pairs(
            intranet_activity(start=current.start, end=current.end),
            intranet_activity(start=previous.start, end=previous.end),
        ),
        "ideas": {
            "top": ideas_top_of_period(start=current.start, end=current.end),
            "status_changes": idea_status_changes(start=current.start, end=current.end),
            "previous_status_changes": idea_status_changes(start=previous.start, end=previous.end, limit=0)["total"],
        },
        "feedback_themes": feedback_topics_of_quarter(quarter=str(current.quarter), today=today),
        "enps": {
            "score": _pair(by_quarter[str(current.quarter)]["enps"], by_quarter[str(previous.quarter)]["enps"]),
            "trend": enps_trend,
        },
        "spotlights": {
            "published": _pair(
                spotlights.filter(published_at__gte=current.start, published_at__lt=current.end).count(),
                spotlights.filter(published_at__gte=previous.start, published_at__lt=previous.end).count(),
            )
        },
    }


def _action_items(council: Council, period: _Period) -> dict:
    """The items of the council's meetings held in the quarter, and those carried over: still open from
    a meeting before it."""
    items = (
        ActionItem.objects.filter(council=council)
        .filter(
            Q(meeting__starts_at__gte=period.start, meeting__starts_at__lt=period.quarter.end)
            | Q(meeting__starts_at__lt=period.start, status=ActionItem.Status.OPEN)
        )
        .select_related("owner", "meeting")
        .order_by("due_on", "id")
    )
    listed = [
        {
            "title": item.title,
            "owner": item.owner.name or item.owner.email,
            "due_on": item.due_on,
            "status": item.status,
            "carried_over": item.meeting.starts_at < period.start,
        }
        for item in items
    ]
    return {
        "open": sum(1 for i in listed if i["status"] == ActionItem.Status.OPEN),
        "done": sum(1 for i in listed if i["status"] == ActionItem.Status.DONE),
        "items": listed,
    }


def _external_themes(gap: dict) -> dict:
    """The quarter's most positive and most negative themes of what customers said, with example mentions."""
    external = [
        t
        for t in gap.get("themes", [])
        if t.get("external") and t["external"].get("count") and t["external"].get("net_sentiment") is not None
    ]

    def brief(theme: dict) -> dict:
        return {
            "label": theme["label"],
            "keywords": theme.get("keywords", []),
            "count": theme["external"]["count"],
            "net_sentiment": theme["external"]["net_sentiment"],
            "examples": theme.get("examples", {}).get("external", [])[:3],
        }

    ranked = sorted(external, key=lambda t: (t["external"]["net_sentiment"], -t["external"]["count"]))
    negative = [brief(t) for t in ranked if t["external"]["net_sentiment"] < 0][:THEMES_PER_SIDE]
    positive = [brief(t) for t in reversed(ranked) if t["external"]["net_sentiment"] > 0][:THEMES_PER_SIDE]
    return {"most_positive": positive, "most_negative": negative}


def _jsonable(value):
    """Dates and datetimes as ISO 8601 strings, so the stored report and the API read the same."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
