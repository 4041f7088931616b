"""Seats and the member lifecycle: join, pause, resume, leave or be removed (alumni).

Seats are taken only with the program row locked (`program_lock`), counted in the same
transaction; the unique (program, seat) constraint and the 1–100 check are the backstop.
"""

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_grant_roles, user_revoke_roles
from advocacy.models import Invitation, Membership, MembershipEvent, Program
from advocacy.selectors.program import PROGRAM_PK, SEAT_HOLDING
from advocacy.services import field_validate
from advocacy.services.links import referral_links_for_member
from advocacy.services.waitlist import waitlist_offer_next
from advocacy.signals import membership_ended_send
from core.exceptions import ApplicationError


class MembershipError(ApplicationError):
    code = "membership"


class ProgramFull(ApplicationError):
    status_code = 409
    code = "program_full"


def program_ensure() -> Program:
    """The one program, created if missing (a data migration creates it; a flushed database lacks it)."""
    return Program.objects.get_or_create(pk=PROGRAM_PK)[0]


def program_lock() -> Program:
    """The program row, locked until the transaction ends: seat counts cannot change under us."""
    program_ensure()
    return Program.objects.select_for_update().get(pk=PROGRAM_PK)


def seat_free_number(program: Program) -> int | None:
    """The lowest free seat number, or None when every seat is taken. Call with the program locked."""
    taken = set(program.memberships.filter(status__in=SEAT_HOLDING).values_list("seat", flat=True))
    return next((n for n in range(1, program.seat_limit + 1) if n not in taken), None)


def membership_seat(*, program: Program, user, invitation: Invitation | None = None, by=None) -> Membership:
    """Give `user` a seat. The caller holds the program lock and has checked that a seat is free.

    A former member (alumni) comes back on their old membership, with a new seat.
    """
    seat = seat_free_number(program)
    if seat is None:
        raise ProgramFull(f"All {program.seat_limit} seats of the program are taken.")
    now = timezone.now()
    membership = Membership.objects.filter(user=user).first()
    if membership and membership.status in SEAT_HOLDING:
        raise MembershipError("This person is already a member of the program.")
    if membership is None:
        membership = Membership(program=program, user=user)
    membership.status = Membership.Status.ACTIVE
    membership.seat = seat
    membership.invitation = invitation
    membership.joined_at = now
    membership.left_at = None
    membership.left_reason = ""
    membership.save()
    MembershipEvent.objects.create(membership=membership, kind=MembershipEvent.Kind.JOINED, by=by, at=now)
    user_grant_roles(user=user, roles=[Role.AMBASSADOR])
    referral_links_for_member(membership=membership)  # their links for running kits, ready on their home
    return membership


def _event(membership: Membership, kind: str, *, reason: str = "", by=None) -> None:
    MembershipEvent.objects.create(membership=membership, kind=kind, reason=reason, by=by, at=timezone.now())


@transaction.atomic
def membership_pause(*, membership: Membership, reason: str = "", by=None) -> Membership:
    """Pause an active member: they keep their seat and their portal, and earn nothing new."""
    field_validate(MembershipEvent, "reason", reason)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.ACTIVE:
        raise MembershipError("Only an active member can be paused.")
    membership.status = Membership.Status.PAUSED
    membership.save(update_fields=["status"])
    _event(membership, MembershipEvent.Kind.PAUSED, reason=reason, by=by)
    return membership


@transaction.atomic
def membership_resume(*, membership: Membership, by=None) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PAUSED:
        raise MembershipError("Only a paused member can be resumed.")
    membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["status"])
    _event(membership, MembershipEvent.Kind.RESUMED, by=by)
    return membership


def membership_end(*, membership: Membership, kind: str, reason: str = "", by=None) -> Membership:
    """Make a member alumni (they left, were removed, or their term ended): the seat frees.

    The freed seat is offered to the first person on the waitlist, in the same transaction;
    `advocacy.signals.membership_ended` goes out once it commits.
    """
    if kind not in (MembershipEvent.Kind.LEFT, MembershipEvent.Kind.REMOVED, MembershipEvent.Kind.ALUMNI):
        raise ValueError(f"not an ending: {kind}")
    if kind == MembershipEvent.Kind.REMOVED and not reason.strip():
        raise MembershipError("Say why the member is removed; it stays in their history.")
    field_validate(Membership, "left_reason", reason.strip(), name="reason")
    with transaction.atomic():
        program = program_lock()
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.status not in SEAT_HOLDING:
            raise MembershipError("This person is no longer a member.")
        now = timezone.now()
        membership.status = Membership.Status.ALUMNI
        membership.seat = None
        membership.left_at = now
        membership.left_reason = reason.strip()
        membership.save(update_fields=["status", "seat", "left_at", "left_reason"])
        _event(membership, kind, reason=reason.strip(), by=by)
        user_revoke_roles(user=membership.user, roles=[Role.AMBASSADOR])
        waitlist_offer_next(program=program)
        membership_ended_send(membership=membership, kind=kind, reason=reason.strip())
    return membership
