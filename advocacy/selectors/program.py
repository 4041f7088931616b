"""Reads about the program itself: seats, the waitlist, invitations and members."""

from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone

from advocacy.models import Activity, Invitation, Membership, Program, WaitlistEntry
from advocacy.selectors.recognition import activity_totals

SEAT_HOLDING = (Membership.Status.ACTIVE, Membership.Status.PAUSED)


PROGRAM_PK = 1  # the one program; a data migration creates it


def program_get() -> Program:
    """The one program. Where a flushed database lacks the row, its defaults, unsaved (writes use
    advocacy.services.membership.program_ensure): a read never writes."""
    return Program.objects.filter(pk=PROGRAM_PK).first() or Program(pk=PROGRAM_PK)


def membership_of(user) -> Membership | None:
    """The user's membership, whatever its status, or None."""
    if not user or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).first()


def seats_used(program: Program) -> int:
    """Seats held: active and paused members (a paused member keeps their seat)."""
    return program.memberships.filter(status__in=SEAT_HOLDING).count()


def offers_outstanding(program: Program, *, now=None) -> int:
    """Waitlist offers still running: each holds a freed seat for its person."""
    offers = program.invitations.filter(
        kind=Invitation.Kind.WAITLIST_OFFER, status=Invitation.Status.PENDING, expires_at__gt=now or timezone.now()
    )
    return offers.count()


def seats_free(program: Program) -> int:
    """Seats that an ordinary invitation could take now (waitlist offers hold theirs)."""
    return max(program.seat_limit - seats_used(program) - offers_outstanding(program), 0)


def waitlist_entry_of(user) -> WaitlistEntry | None:
    """The user's place in line, while they wait or hold an offer."""
    return WaitlistEntry.objects.filter(
        user=user, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    ).first()


def invitation_funnel(program: Program) -> dict[str, int]:
    """Invitations by status; a pending one past its expiry counts as expired (the hourly task catches up)."""
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


def members_with_totals(members) -> list[Membership]:
    """The members, each with `.totals`: counted shares, reviews, stories, clicks, conversions, points.

    Two queries, whatever the number of members (advocacy.selectors.recognition.activity_totals).
    """
    members = list(members)
    totals = activity_totals([m.pk for m in members])
    for member in members:
        member.totals = totals[member.pk]
    return members


def members_overview(program: Program) -> list[Membership]:
    """Every member for the program page: seat holders first, most points first."""
    order = {Membership.Status.ACTIVE: 0, Membership.Status.PAUSED: 1, Membership.Status.ALUMNI: 2}
    members = members_with_totals(program.memberships.select_related("user"))
    return sorted(members, key=lambda m: (order[m.status], -m.totals.points, m.joined_at))


def program_seats(program: Program | None = None) -> dict:
    """Seats used of the limit, and how many wait for one."""
    program = program or program_get()
    return {
        "seat_limit": program.seat_limit,
        "seats_used": seats_used(program),
        "waitlist": waitlist_of(program).count(),
    }


def program_stats(program: Program | None = None) -> dict:
    """Seats used of the limit, the waitlist, and the invitation funnel: the API's and the dashboard's figures."""
    program = program or program_get()
    return program_seats(program) | {"invitations": invitation_funnel(program)}


def shares_counted(since=None, until=None) -> int:
    """Posts ambassadors shared (the program's engagement), held ones left out; `until` excluded."""
    shares = Activity.objects.filter(kind=Activity.Kind.SHARE, held=False)
    if since:
        shares = shares.filter(at__gte=since)
    if until:
        shares = shares.filter(at__lt=until)
    return shares.count()
