from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from advocacy.selectors.program import program_seats, shares_counted
from advocacy.selectors.referrals import referral_totals
from insights.selectors.rollups import SeriesRequest, reputation_summary, rollup_series


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str
    value: str | None
    caption: str


def staff_kpis() -> list[Kpi]:
    """The KPI tiles of the staff dashboard, read from each app's selectors.

    The apps that feed them arrive issue by issue; until then a tile says
    what it will show and that there is no data yet.
    """
    reputation = reputation_summary(days=30)
    if reputation.mentions:
        change = ""
        if reputation.previous_mentions:
            ratio = reputation.mentions / reputation.previous_mentions - 1
            change = f", {ratio:+.0%} on the 30 days before"
        net = "—" if reputation.net_sentiment is None else f"{reputation.net_sentiment:+.2f}"
        reputation_tile = Kpi(
            "reputation",
            "Online reputation",
            f"{net} net",
            f"Net sentiment over {reputation.mentions:,} mentions in the last 30 days{change}",
        )
    else:
        reputation_tile = Kpi("reputation", "Online reputation", None, "Net sentiment and mention volume, last 30 days")
    return [reputation_tile, *program_kpis(), Kpi("response", "Response time", None, "Median time to first response")]


def program_kpis(days: int = 30) -> list[Kpi]:
    """The ambassador program's tiles: seats, engagement, referral clicks, conversions, returning customers."""
    program = program_seats()
    since = timezone.now() - timedelta(days=days)
    referrals = referral_totals(since)
    shares = shares_counted(since)
    waitlist = f"; {program['waitlist']} waiting" if program["waitlist"] else ""
    last = f"last {days} days"
    seats = f"{program['seats_used']} of {program['seat_limit']}"
    return [
        Kpi("seats", "Ambassador seats", seats, f"Active and paused members{waitlist}"),
        Kpi("engagement", "Engagement", f"{shares:,}", f"Posts shared by ambassadors, {last}"),
        Kpi("referrals", "Referral traffic", f"{referrals['clicks']:,}", f"Counted clicks on referral links, {last}"),
        Kpi("conversions", "Conversions", f"{referrals['conversions']:,}", f"Orders through referral links, {last}"),
        Kpi(
            "returning",
            "Returning customers",
            f"{referrals['returning_customers']:,}",
            f"Referred, bought again, {last}",
        ),
    ]


def mention_trend(*, days: int = 90) -> list[dict]:
    """Mentions per day by sentiment over the last `days` days, for a stacked chart."""
    today = datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    series = rollup_series(
        SeriesRequest(
            bucket="day",
            group_by="label",
            start=today - timedelta(days=days - 1),
            end=today,
            tz=settings.TIME_ZONE,
        )
    )["series"]
    return [{"name": s["key"], "data": {p["start"][:10]: p["count"] for p in s["points"]}} for s in series]
