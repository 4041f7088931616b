from django.db.models import F, Q

from advocacy.models import Membership, Program, WaitlistEntry

SEAT_HOLDING = (Membership.Status.ACTIVE, Membership.Status.PAUSED)


def program_get() -> Program:
    """The one program (a data migration creates it; a flushed test database may not have it)."""
    return Program.objects.get_or_create(pk=1)[0]


def membership_of(user) -> Membership | None:
    """The user's membership, whatever its status, or None."""
    if not user or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).first()


def seats_used(program: Program) -> int:
    """Seats held: active and paused members (a paused member keeps their seat)."""
    return program.memberships.filter(status__in=SEAT_HOLDING).count()


def waitlist_entry_of(user) -> WaitlistEntry | None:
    """The user's place in line, while they wait or hold an offer."""
    return WaitlistEntry.objects.filter(
        user=user, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    ).first()


def invitation_funnel(program: Program) -> dict[str, int]:
    """Invitations by status; a pending one past its expiry counts as expired (the hourly task catches up)."""
    from django.db.models import Case, Count, Value, When
    from django.utils import timezone

    from advocacy.models import Invitation

    lapsed = Q(status=Invitation.Status.PENDING, expires_at__lte=timezone.now())
    rows = (
        program.invitations.filter(kind=Invitation.Kind.INVITATION)
        .annotate(shown=Case(When(lapsed, then=Value(Invitation.Status.EXPIRED)), default=F("status")))
        .values("shown")
        .annotate(n=Count("pk"))
    )
    funnel = dict.fromkeys(Invitation.Status.values, 0) | {row["shown"]: row["n"] for row in rows}
    funnel["sent"] = sum(funnel[status] for status in Invitation.Status.values)
    return funnel


def waitlist_of(program: Program):
    """The line, in order: people waiting, then those holding an offer."""
    return program.waitlist.select_related("user", "offer").filter(
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    )


# annotation -> Activity kind ("stories" is taken by the reverse relation)
ACTIVITY_TOTALS = {
    "shares": "share",
    "reviews": "review",
    "published_stories": "story",
    "clicks": "click",
    "conversions": "conversion",
}


def members_with_totals(program: Program, *, statuses=None):
    """Members with their counted activity: points, shares, reviews, stories, clicks, conversions."""
    from django.db.models import Count, Sum
    from django.db.models.functions import Coalesce

    counted = Q(activities__held=False)
    members = program.memberships.select_related("user")
    if statuses:
        members = members.filter(status__in=statuses)
    return members.annotate(
        points=Coalesce(Sum("activities__points", filter=counted), 0),
        **{
            total: Count("activities", filter=counted & Q(activities__kind=kind))
            for total, kind in ACTIVITY_TOTALS.items()
        },
    ).order_by("status", "-points", "joined_at")
