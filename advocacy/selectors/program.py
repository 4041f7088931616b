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
