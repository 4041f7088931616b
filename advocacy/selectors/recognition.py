"""Reads of the recognition side of the program: points, activity totals, the leaderboard, stories.

Points come from the ledger (`Activity`) only, and `held` rows (flagged by the fraud controls)
count for nothing until staff clear them. Clicks and conversions are counted where they are
recorded (`ReferralClick`, `Conversion`), with flagged clicks and held or rejected conversions
left out, so a member's impact reads the same here, on the staff pages and in the API.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from advocacy.models import (
    COUNTED_REVIEWS,
    Activity,
    Conversion,
    Membership,
    ReferralClick,
    ReferralLink,
    ShoutOut,
    Story,
)

PERIODS = {"month": "This month", "all": "All time"}
FORMER_AMBASSADOR = "a former ambassador"


@dataclass
class ActivityTotals:
    """What one member has done that counts: the figures badges and staff pages read."""

    shares: int = 0
    reviews: int = 0
    stories: int = 0  # published
    clicks: int = 0  # counted (not flagged)
    conversions: int = 0  # counted (clear or approved)
    points: int = 0  # from the ledger, held rows excluded


@dataclass
class LeaderRow:
    rank: int
    membership_id: int
    name: str
    points: int


def month_start(now: datetime | None = None) -> datetime:
    """Midnight on the first day of this month, in the organisation's time zone."""
    now = timezone.localtime(now)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def period_since(period: str) -> datetime | None:
    """The start of a leaderboard period: this month's first day, or None for all time."""
    return month_start() if period == "month" else None


def _per_member(qs, member_field: str, at_field: str, since: datetime | None, total=None):
    """A scalar subquery: the count (or `total`) of `qs` rows of the outer membership, zero when none."""
    qs = qs.filter(**{member_field: OuterRef("pk")})
    if since is not None:
        qs = qs.filter(**{f"{at_field}__gte": since})
    value = qs.order_by().values(member_field).annotate(v=total or Count("pk")).values("v")[:1]
    return Coalesce(Subquery(value), 0)


def activity_totals(memberships=None, *, since: datetime | None = None) -> dict[int, ActivityTotals]:
    """Per membership id, the counted shares, reviews, published stories, clicks, conversions and points.

    `memberships` is a queryset, a list of memberships or ids, or None for every member; members
    with nothing yet get zeros. `since` limits every figure to what happened from then on.
    One query (a subquery per figure, each on an index), whatever the number of members.
    """
    members = Membership.objects.all()
    if isinstance(memberships, QuerySet):
        members = members.filter(pk__in=memberships.values("pk"))
    elif memberships is not None:
        members = members.filter(pk__in=[m if isinstance(m, int) else m.pk for m in memberships])
    ledger = Activity.objects.filter(held=False)
    rows = members.order_by().values_list(
        "pk",
        _per_member(ledger.filter(kind=Activity.Kind.SHARE), "membership", "at", since),
        _per_member(ledger.filter(kind=Activity.Kind.REVIEW), "membership", "at", since),
        _per_member(Story.objects.filter(status=Story.Status.PUBLISHED), "membership", "published_at", since),
        _per_member(ReferralClick.objects.filter(flagged=False), "link__membership", "at", since),
        _per_member(Conversion.objects.filter(review__in=COUNTED_REVIEWS), "link__membership", "ordered_at", since),
        _per_member(ledger, "membership", "at", since, total=Sum("points")),
    )
    return {
        pk: ActivityTotals(shares=shares, reviews=reviews, stories=stories, clicks=clicks, conversions=conv, points=pts)
        for pk, shares, reviews, stories, clicks, conv, pts in rows
    }


def points_for(membership: Membership, *, since: datetime | None = None) -> int:
    """The member's points from the ledger (held rows excluded), all time or from `since`."""
    qs = Activity.objects.filter(membership=membership, held=False)
    if since is not None:
        qs = qs.filter(at__gte=since)
    return qs.aggregate(total=Coalesce(Sum("points"), 0))["total"]


def public_name(user) -> str:
    """How other ambassadors see a member: first name and last initial ("Amy C."), never contact data."""
    parts = (user.name or "").split()
    if not parts:
        return "An ambassador"
    return f"{parts[0]} {parts[-1][0]}." if len(parts) > 1 else parts[0]


def leaderboard(period: str = "all") -> list[LeaderRow]:
    """Active members with points in the period ("month" or "all"), most points first.

    Held activity earns nothing; paused and former members are left out. Equal points share a
    rank and the next rank skips (1, 2, 2, 4), and ties list alphabetically, so nobody is
    placed above an equal by an accident of ordering. One query.
    """
    since = period_since(period)
    counted = Q(activities__held=False)
    if since is not None:
        counted &= Q(activities__at__gte=since)
    members = (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .annotate(points=Coalesce(Sum("activities__points", filter=counted), 0))
        .filter(points__gt=0)
        .select_related("user")
        .order_by("-points", "user__name", "pk")
    )
    rows: list[LeaderRow] = []
    for position, member in enumerate(members, start=1):
        rank = rows[-1].rank if rows and rows[-1].points == member.points else position
        rows.append(LeaderRow(rank=rank, membership_id=member.pk, name=public_name(member.user), points=member.points))
    return rows


def rank_of(rows: list[LeaderRow], membership: Membership | None) -> LeaderRow | None:
    """The member's row on a leaderboard, or None when they are not on it."""
    if membership is None:
        return None
    return next((row for row in rows if row.membership_id == membership.pk), None)


def link_impact(membership: Membership) -> dict[int, tuple[int, int]]:
    """Per referral link id of the member: (counted clicks, counted conversions). One query."""
    links = ReferralLink.objects.filter(membership=membership).annotate(
        counted_clicks=Count("clicks", filter=Q(clicks__flagged=False), distinct=True),
        counted_conversions=Count("conversions", filter=Q(conversions__review__in=COUNTED_REVIEWS), distinct=True),
    )
    return {link.pk: (link.counted_clicks, link.counted_conversions) for link in links}


def shout_outs_for(membership: Membership, *, days: int = 60, limit: int = 5) -> QuerySet[ShoutOut]:
    """Recent shout-outs to this member or to everyone, newest first."""
    since = timezone.now() - timedelta(days=days)
    return ShoutOut.objects.filter(Q(membership=membership) | Q(membership__isnull=True), at__gte=since)[:limit]


def stories_published() -> QuerySet[Story]:
    """Published stories, newest first, with their authors (for the first name, or the erased credit)."""
    return (
        Story.objects.filter(status=Story.Status.PUBLISHED)
        .select_related("membership__user")
        .order_by("-published_at", "-pk")
    )


def story_credit(story: Story) -> str:
    """The author as the public sees them: a first name only, or "a former ambassador" after erasure."""
    if story.membership.erased_at:
        return FORMER_AMBASSADOR
    names = (story.membership.user.name or "").split()
    return names[0] if names else "An ambassador"


def stories_of(membership: Membership) -> QuerySet[Story]:
    """The member's own stories, whatever their status, newest first."""
    return Story.objects.filter(membership=membership).order_by("-submitted_at", "-pk")


def stories_waiting() -> QuerySet[Story]:
    """Stories waiting for a program manager, oldest first (first come, first reviewed)."""
    return (
        Story.objects.filter(status=Story.Status.SUBMITTED)
        .select_related("membership__user")
        .order_by("submitted_at", "pk")
    )


def stories_reviewed(limit: int = 50) -> QuerySet[Story]:
    """Stories already published or declined, newest first."""
    return (
        Story.objects.exclude(status=Story.Status.SUBMITTED)
        .select_related("membership__user", "reviewed_by")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def program_activity(*, start: datetime, end: datetime) -> dict:
    """The program's activity from `start` to `end` (half-open): counted shares and reviews, the members
    who did anything counted, and the stories published (the councils' quarterly reports)."""
    ledger = Activity.objects.filter(held=False, at__gte=start, at__lt=end)
    return {
        "shares": ledger.filter(kind=Activity.Kind.SHARE).count(),
        "reviews": ledger.filter(kind=Activity.Kind.REVIEW).count(),
        "active_members": ledger.values("membership").distinct().count(),
        "stories": Story.objects.filter(
            status=Story.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
        ).count(),
    }


def top_advocates(*, start: datetime, end: datetime, limit: int = 5) -> list[dict]:
    """The members who earned the most points from `start` to `end` (half-open; held activity earns nothing),
    by their public name only: `[{"name", "points"}]`, most first, ties alphabetically."""
    rows = (
        Activity.objects.filter(held=False, at__gte=start, at__lt=end)
        .values("membership", "membership__user__name")
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .order_by("-points", "membership__user__name", "membership")[:limit]
    )
    return [{"name": _name_only(row["membership__user__name"]), "points": row["points"]} for row in rows]


def _name_only(name: str | None) -> str:
    parts = (name or "").split()
    if not parts:
        return "An ambassador"
    return f"{parts[0]} {parts[-1][0]}." if len(parts) > 1 else parts[0]
