"""Reads about kits, referral links, clicks and conversions.

Counted means: clicks not flagged (a flood held for review), conversions clear or approved. Held
items stay out of every count here until staff approve them.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from advocacy.models import COUNTED_REVIEWS, Conversion, Kit, Membership, ReferralClick, ReferralLink, SuggestedPost
from core.exceptions import ApplicationError
from insights.models import Channel


class KitNotFound(ApplicationError):
    """No open kit with this id has a link of this member (unknown, ended, not started yet)."""

    status_code = 404
    code = "not_found"


def kits_open(on=None):
    """Kits running on `on` (today by default) and not archived, newest first."""
    on = on or timezone.localdate()
    return Kit.objects.filter(starts_on__lte=on, ends_on__gte=on, archived_at__isnull=True).order_by(
        "-starts_on", "title"
    )


def _with_content(kits):
    return kits.prefetch_related(
        Prefetch("suggested_posts", queryset=SuggestedPost.objects.select_related("channel")), "assets"
    )


def kits_open_with_links(membership: Membership) -> list[tuple[Kit, ReferralLink]]:
    """Each open kit (with its posts, channels and assets) that has a link of this member, with the link.

    A read: links are made when a member joins or a kit is saved (advocacy.services.links).
    Four queries however many kits: kits, posts with channels, assets, links.
    """
    kits = list(_with_content(kits_open().filter(links__membership=membership)))
    links = {link.kit_id: link for link in ReferralLink.objects.filter(membership=membership, kit__in=kits)}
    pairs = [(kit, links[kit.pk]) for kit in kits if kit.pk in links]
    for kit, link in pairs:  # no lazy load when the caller reads them
        link.kit, link.membership = kit, membership
    return pairs


def kit_open_with_link(membership: Membership, pk: int) -> tuple[Kit, ReferralLink]:
    """One open kit and the member's own link; KitNotFound for an unknown, ended or future kit."""
    kit = _with_content(kits_open()).filter(pk=pk).first()
    link = ReferralLink.objects.filter(membership=membership, kit=kit).first() if kit else None
    if link is None:
        raise KitNotFound("No open kit here.")
    link.kit, link.membership = kit, membership
    return kit, link


def kits_for_staff(*, archived: bool = False):
    """The kits not archived (or only the archived ones), newest first, with counts of posts, assets and links."""
    return (
        Kit.objects.filter(archived_at__isnull=not archived)
        .annotate(
            post_count=Count("suggested_posts", distinct=True),
            asset_count=Count("assets", distinct=True),
            link_count=Count("links", distinct=True),
        )
        .order_by("-starts_on", "title")
    )


# --- Counts ----------------------------------------------------------------------


def clicks_counted():
    return ReferralClick.objects.filter(flagged=False)


def conversions_counted():
    return Conversion.objects.filter(review__in=COUNTED_REVIEWS)


def _range(start, end):
    """Filters for clicks and conversions between `start` and `end` (dates inclusive, or datetimes)."""
    clicks, conversions = Q(), Q()
    if isinstance(start, datetime):
        clicks &= Q(at__gte=start)
        conversions &= Q(ordered_at__gte=start)
    elif start:
        clicks &= Q(day__gte=start)
        conversions &= Q(ordered_at__date__gte=start)
    if isinstance(end, datetime):
        clicks &= Q(at__lt=end)
        conversions &= Q(ordered_at__lt=end)
    elif end:
        clicks &= Q(day__lte=end)
        conversions &= Q(ordered_at__date__lte=end)
    return clicks, conversions


def referral_totals(start: date | datetime | None = None, end: date | datetime | None = None) -> dict:
    """Counted clicks, conversions and returning customers (distinct) between `start` and `end`.

    Dates are inclusive days in the organisation's time zone; datetimes a half-open range.
    """
    clicks, conversions = _range(start, end)
    counted = conversions_counted().filter(conversions)
    totals = counted.aggregate(
        conversions=Count("pk"), returning_customers=Count("customer_ref", filter=Q(is_returning=True), distinct=True)
    )
    return {"clicks": clicks_counted().filter(clicks).count(), **totals}


def kit_performance(*, start=None, end=None) -> list[dict]:
    """Per kit: counted clicks, conversions and returning conversions, overall and per channel.

    Three queries: kits, clicks grouped by kit and channel, conversions grouped the same way.
    """
    click_range, conversion_range = _range(start, end)
    clicks = (
        clicks_counted().filter(click_range).values("link__kit_id", "channel__name").annotate(n=Count("pk")).order_by()
    )
    conversions = (
        conversions_counted()
        .filter(conversion_range)
        .values("link__kit_id", "channel__name")
        .annotate(n=Count("pk"), returning=Count("pk", filter=Q(is_returning=True)))
        .order_by()
    )
    rows = {
        kit.pk: {"kit": kit, "clicks": 0, "conversions": 0, "returning": 0, "channels": {}}
        for kit in Kit.objects.order_by("-starts_on", "title")
    }
    for row in clicks:
        kit = rows[row["link__kit_id"]]
        kit["clicks"] += row["n"]
        channel = kit["channels"].setdefault(row["channel__name"] or "Not said", {"clicks": 0, "conversions": 0})
        channel["clicks"] += row["n"]
    for row in conversions:
        kit = rows[row["link__kit_id"]]
        kit["conversions"] += row["n"]
        kit["returning"] += row["returning"]
        channel = kit["channels"].setdefault(row["channel__name"] or "Not said", {"clicks": 0, "conversions": 0})
        channel["conversions"] += row["n"]
    for kit in rows.values():
        kit["channels"] = sorted(
            ({"name": name, **counts} for name, counts in kit["channels"].items()),
            key=lambda c: (-c["clicks"], c["name"]),
        )
        kit["conversion_rate"] = kit["conversions"] / kit["clicks"] if kit["clicks"] else None
    return list(rows.values())


def referral_series(*, days: int = 90, today: date | None = None) -> dict:
    """Counted clicks, conversions and returning conversions per day over the last `days` days, zeros included."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    axis = [first + timedelta(days=n) for n in range(days)]
    clicks = dict(
        clicks_counted().filter(day__gte=first, day__lte=today).values_list("day").annotate(n=Count("pk")).order_by()
    )
    conversions = {
        row["d"]: row
        for row in conversions_counted()
        .filter(ordered_at__date__gte=first, ordered_at__date__lte=today)
        .annotate(d=TruncDate("ordered_at"))
        .values("d")
        .annotate(n=Count("pk"), returning=Count("pk", filter=Q(is_returning=True)))
        .order_by()
    }

    def series(values):
        return {day.isoformat(): values(day) for day in axis}

    return {
        "clicks": series(lambda day: clicks.get(day, 0)),
        "conversions": series(lambda day: conversions.get(day, {}).get("n", 0)),
        "returning": series(lambda day: conversions.get(day, {}).get("returning", 0)),
    }


def referral_series_weekly(series: dict) -> dict:
    """The daily series summed by week (Monday first), for a chart that a 90-day range keeps readable."""
    weekly = {}
    for name, points in series.items():
        weeks: dict[str, int] = {}
        for day, value in points.items():
            monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
            weeks[monday.isoformat()] = weeks.get(monday.isoformat(), 0) + value
        weekly[name] = weeks
    return weekly


# --- Review ----------------------------------------------------------------------


def conversions_held():
    """Held conversions, oldest first, with what the review page shows."""
    return (
        Conversion.objects.filter(review=Conversion.Review.HELD)
        .select_related("link__kit", "link__membership__user", "channel")
        .order_by("received_at", "pk")
    )


def click_floods_held() -> list[dict]:
    """Flagged clicks grouped per code and hour, oldest first: one row per flood to review."""
    groups = list(
        ReferralClick.objects.filter(flagged=True)
        .annotate(hour=TruncHour("at"))
        .values("link_id", "hour")
        .annotate(clicks=Count("pk"))
        .order_by("hour", "link_id")
    )
    links = ReferralLink.objects.select_related("kit", "membership__user").in_bulk({g["link_id"] for g in groups})
    return [{**group, "link": links[group["link_id"]]} for group in groups]


def click_flood_size(*, link: ReferralLink, hour: datetime) -> int:
    """How many flagged clicks one code had in the hour from `hour`: what a flood decision decides on."""
    return ReferralClick.objects.filter(link=link, flagged=True, at__gte=hour, at__lt=hour + timedelta(hours=1)).count()


def channels_for_posts():
    return Channel.objects.filter(is_active=True).order_by("name")


def channels_online():
    """Active online channels: where an ambassador can share a post or write a review."""
    return Channel.objects.filter(is_active=True, kind=Channel.Kind.ONLINE)


def kits_shareable(on=None):
    """Kits a share can be logged against: open ones and those that closed in the last month (not archived)."""
    on = on or timezone.localdate()
    return Kit.objects.filter(starts_on__lte=on, ends_on__gte=on - timedelta(days=30), archived_at__isnull=True)
