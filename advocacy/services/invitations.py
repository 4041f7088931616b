"""Invitations, acceptance under the seat cap, and joining the waitlist.

A token is 256 random bits, shown once in the email; only its SHA-256 is stored
(advocacy.services.tokens). Accepting
locks the program row and counts seats in the same transaction, so no concurrency gets
past the cap. Seats offered to the waitlist are held for the offer while it runs.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from advocacy.models import NOTE_MAX, Invitation, Membership, Program, WaitlistEntry
from advocacy.selectors.discovery import author_hidden
from advocacy.selectors.program import SEAT_HOLDING, offers_outstanding, seats_used
from advocacy.services import field_validate
from advocacy.services.membership import membership_seat, program_ensure, program_lock
from advocacy.services.tokens import invitation_email_send, token_hash, token_new
from advocacy.services.waitlist import waitlist_offer_next
from core.exceptions import ApplicationError
from insights.models import Channel


class InvitationError(ApplicationError):
    """The request conflicts with the invitation's or the person's state (already a member, already invited…)."""

    status_code = 409
    code = "invitation_conflict"


class InvitationUnusable(ApplicationError):
    """The token is unknown, used, expired or revoked: one message for all, so it reveals nothing."""

    status_code = 404
    code = "invitation_unusable"

    def __init__(self):
        super().__init__(
            "This invitation link cannot be used: it may have expired, been used already or been withdrawn."
        )


@dataclass(frozen=True)
class Acceptance:
    user: User
    membership: Membership | None  # None when the person was put on the waitlist
    waitlist_entry: WaitlistEntry | None

    @property
    def waitlisted(self) -> bool:
        return self.membership is None


def email_clean(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    return email


def _expire_lapsed(email: str, program: Program, now) -> None:
    """A pending invitation past its expiry is expired, not pending: it no longer blocks a new one."""
    program.invitations.filter(email__iexact=email, status=Invitation.Status.PENDING, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )


def invitation_create(
    *,
    email: str,
    name: str = "",
    note: str = "",
    invited_by=None,
    origin: str | None = None,
    discovered_channel: Channel | None = None,
    discovered_handle: str = "",
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and its token (for the email only).

    `origin` (`core.links.site_origin(request)`) is where the emailed link points; SITE_URL without it.
    `discovered_channel` and `discovered_handle`: the mention author advocate discovery found them as;
    the invitation remembers it (source "discovery"). An author hidden for good cannot be invited.
    """
    email = email_clean(email)
    name, note = (name or "").strip(), (note or "").strip()
    if len(name) > 150:
        raise ValidationError({"name": "Keep the name under 150 characters."})
    if len(note) > 2000:
        raise ValidationError({"note": "Keep the note under 2,000 characters."})
    field_validate(Invitation, "note", note)
    discovered_handle = (discovered_handle or "").strip()
    if (discovered_channel is None) != (not discovered_handle):
        raise ValidationError({"discovered_handle": "A discovered author needs both a channel and a handle."})
    field_validate(Invitation, "discovered_handle", discovered_handle)
    if discovered_channel is not None and author_hidden(discovered_channel, discovered_handle):
        raise InvitationError(f"{discovered_handle} asked not to be contacted: they are hidden for good.")
    program = program_ensure()
    now = timezone.now()
    with transaction.atomic():
        _expire_lapsed(email, program, now)
        if Membership.objects.filter(user__email__iexact=email, status__in=SEAT_HOLDING).exists():
            raise InvitationError(f"{email} is already a member of the program.")
        if WaitlistEntry.objects.filter(
            user__email__iexact=email, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
        ).exists():
            raise InvitationError(f"{email} has accepted an invitation already and is on the waitlist.")
        pending = program.invitations.filter(email__iexact=email, status=Invitation.Status.PENDING).first()
        if pending:
            raise InvitationError(
                f"{email} already has a pending invitation, sent {pending.sent_at:%-d %B %Y}. "
                "Resend it instead of inviting again."
            )
        token, hashed = token_new()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    program=program,
                    email=email,
                    name=name,
                    note=note,
                    token_hash=hashed,
                    invited_by=invited_by,
                    source=Invitation.Source.DISCOVERY if discovered_channel else Invitation.Source.MANUAL,
                    discovered_channel=discovered_channel,
                    discovered_handle=discovered_handle,
                    sent_at=now,
                    expires_at=now + timedelta(days=settings.ADVOCACY_INVITATION_DAYS),
                )
        except IntegrityError:  # another request invited the same email a moment ago
            raise InvitationError(f"{email} already has a pending invitation.") from None
        invitation_email_send(invitation, token, origin=origin)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by=None, origin: str | None = None) -> tuple[Invitation, str]:
    """A new token and a new expiry; the old link dies at once. Pending or expired invitations only."""
    program_lock()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    lapsed = invitation.status == Invitation.Status.PENDING and invitation.expires_at <= now
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.EXPIRED) and not lapsed:
        raise InvitationError(f"This invitation was {invitation.get_status_display().lower()}; it cannot be resent.")
    if invitation.kind == Invitation.Kind.WAITLIST_OFFER and invitation.status != Invitation.Status.PENDING:
        raise InvitationError("A lapsed waitlist offer cannot be resent; the seat went to the next in line.")
    if invitation.status == Invitation.Status.EXPIRED:
        if Membership.objects.filter(user__email__iexact=invitation.email, status__in=SEAT_HOLDING).exists():
            raise InvitationError(f"{invitation.email} is already a member of the program.")
        others = invitation.program.invitations.exclude(pk=invitation.pk)
        if others.filter(email__iexact=invitation.email, status=Invitation.Status.PENDING, expires_at__gt=now):
            raise InvitationError(f"{invitation.email} has another pending invitation.")
        _expire_lapsed(invitation.email, invitation.program, now)
    token, invitation.token_hash = token_new()
    invitation.status = Invitation.Status.PENDING
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.ADVOCACY_INVITATION_DAYS)
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "status", "sent_at", "expires_at", "send_count"])
    invitation_email_send(invitation, token, origin=origin)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by=None) -> Invitation:
    """Withdraw a pending invitation; its link stops working. Revoking twice is harmless."""
    program_lock()  # the program first, then the invitation: one lock order everywhere
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.REVOKED:
        return invitation
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationError(f"This invitation was {invitation.get_status_display().lower()}; it cannot be revoked.")
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if invitation.kind == Invitation.Kind.WAITLIST_OFFER:
        _offer_lapsed(invitation)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The usable (pending, unexpired) invitation for `token`, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("program")
        .filter(token_hash=token_hash(token), status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
        .first()
    )


def invitation_accept(*, token: str, user: User | None = None, name: str = "", password: str = "") -> Acceptance:
    """Accept an invitation: take a seat if one is free, or join the waitlist.

    A signed-in `user` accepts with their own account (the invited email must be theirs);
    otherwise an account is created with the invited email, already verified, and `password`,
    which Django's password validators check against that user (ValidationError on `password`).
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise InvitationUnusable
    with transaction.atomic():
        program = program_lock()  # the program first, then the invitation: one lock order everywhere
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
            .first()
        )
        if invitation is None:  # accepted, revoked or expired while we waited for the lock
            raise InvitationUnusable
        user = _acceptor(invitation, user, name=name, password=password)
        now = timezone.now()
        invitation.status = Invitation.Status.ACCEPTED
        invitation.responded_at = now
        invitation.user = user
        invitation.save(update_fields=["status", "responded_at", "user"])
        if invitation.kind == Invitation.Kind.WAITLIST_OFFER:
            entry = WaitlistEntry.objects.select_for_update().get(offer=invitation)
            entry.status = WaitlistEntry.Status.SEATED
            entry.save(update_fields=["status", "updated_at"])
            return Acceptance(user, membership_seat(program=program, user=user, invitation=invitation), None)
        free = program.seat_limit - seats_used(program) - offers_outstanding(program, now=now)
        if free > 0:
            return Acceptance(user, membership_seat(program=program, user=user, invitation=invitation), None)
        entry = WaitlistEntry.objects.create(program=program, user=user, invitation=invitation, joined_at=now)
        return Acceptance(user, None, entry)


def _acceptor(invitation: Invitation, user: User | None, *, name: str, password: str) -> User:
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise InvitationError(
                f"This invitation was sent to {invitation.email}, and you are signed in as {user.email}. "
                "Sign out, then open the link again."
            )
        if Membership.objects.filter(user=user, status__in=SEAT_HOLDING).exists():
            raise InvitationError("You are already a member of the program.")
        if WaitlistEntry.objects.filter(user=user, status=WaitlistEntry.Status.WAITING).exists():
            raise InvitationError("You are on the waitlist already; we will email you when a seat frees.")
        return user
    if invitation.kind == Invitation.Kind.WAITLIST_OFFER or User.objects.filter(email__iexact=invitation.email):
        raise InvitationError("You already have an account with this email: sign in, then accept with one click.")
    name = (name or invitation.name).strip()
    try:  # with the user being created, as allauth's sign-up does: no password like their email or name
        validate_password(password, User(email=invitation.email, name=name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    return user_create(email=invitation.email, password=password, name=name, email_verified=True)


@transaction.atomic
def invitation_decline(*, token: str, reason: str = "") -> Invitation:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise InvitationUnusable
    program_lock()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationUnusable
    invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.decline_reason = (reason or "").strip()[:NOTE_MAX]
    field_validate(Invitation, "decline_reason", invitation.decline_reason, name="reason")
    invitation.save(update_fields=["status", "responded_at", "decline_reason"])
    if invitation.kind == Invitation.Kind.WAITLIST_OFFER:
        _offer_lapsed(invitation, status=WaitlistEntry.Status.WITHDRAWN)
    return invitation


def _offer_lapsed(offer: Invitation, *, status=WaitlistEntry.Status.LAPSED) -> None:
    """A waitlist offer ended unused: the person leaves the line and the seat goes to the next one."""
    WaitlistEntry.objects.filter(offer=offer, status=WaitlistEntry.Status.OFFERED).update(
        status=status, updated_at=timezone.now()
    )
    waitlist_offer_next(program=program_lock())


def invitations_expire() -> dict:
    """Mark lapsed invitations expired; lapsed waitlist offers pass their seat on. Safe to run twice."""
    now = timezone.now()
    with transaction.atomic():
        program = program_lock()
        lapsed = program.invitations.select_for_update().filter(status=Invitation.Status.PENDING, expires_at__lte=now)
        offers = [invitation for invitation in lapsed if invitation.kind == Invitation.Kind.WAITLIST_OFFER]
        expired = lapsed.update(status=Invitation.Status.EXPIRED)
        WaitlistEntry.objects.filter(offer__in=offers, status=WaitlistEntry.Status.OFFERED).update(
            status=WaitlistEntry.Status.LAPSED, updated_at=now
        )
        new_offers = waitlist_offer_next(program=program)
    return {"expired": expired, "offers_lapsed": len(offers), "offers_made": len(new_offers)}
