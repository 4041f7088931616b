"""Proposed invitations: a holder of PROPOSE_INVITATION (the Brand Advisory Council) proposes a person;
a program manager confirms, which sends the real invitation through `invitation_create` (with all its
rules: one pending invitation per email, no inviting members or people on the waitlist; a full program
still invites, and whoever accepts then joins the waitlist, never a 101st seat), or declines with a
reason. The proposer is emailed either way, with a link to their proposals.

One pending proposal per email (a unique constraint is the backstop under concurrency); a retried
confirm or decline changes nothing and sends nothing twice.
"""

import logging

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import notify
from advocacy.models import MANAGE_PROGRAM, Invitation, InvitationProposal, Membership, WaitlistEntry
from advocacy.selectors.program import SEAT_HOLDING
from advocacy.services.invitations import email_clean, invitation_create
from advocacy.services.membership import program_ensure, program_lock
from core.exceptions import ApplicationError
from core.links import absolute_url

logger = logging.getLogger(__name__)


class ProposalError(ApplicationError):
    """The proposal conflicts with the person's or the proposal's state (already proposed, a member…)."""

    status_code = 409
    code = "proposal_conflict"


def _refuse_if_taken(email: str) -> None:
    """Clear messages for a person who needs no invitation, before anyone is asked to decide."""
    if Membership.objects.filter(user__email__iexact=email, status__in=SEAT_HOLDING).exists():
        raise ProposalError(f"{email} is already a member of the program.")
    if WaitlistEntry.objects.filter(
        user__email__iexact=email, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    ).exists():
        raise ProposalError(f"{email} accepted an invitation already and is on the waitlist.")
    if Invitation.objects.filter(
        email__iexact=email, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    ).exists():
        raise ProposalError(f"{email} has a pending invitation already.")
    pending = InvitationProposal.objects.filter(email__iexact=email, status=InvitationProposal.Status.PENDING).first()
    if pending:
        raise ProposalError(
            f"{email} was proposed already on {pending.created_at:%-d %B %Y}; a program manager will decide."
        )


def proposal_create(*, email: str, name: str, reason: str, proposed_by: User) -> InvitationProposal:
    """Propose `email` (and their name) for an invitation, saying why. Pending until a manager decides."""
    email = email_clean(email)
    name, reason = (name or "").strip(), (reason or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the person's name."
    if not reason:
        errors["reason"] = "Say why they should be invited: the managers read it."
    if errors:
        raise ValidationError(errors)
    program = program_ensure()
    proposal = InvitationProposal(program=program, email=email, name=name, reason=reason, proposed_by=proposed_by)
    proposal.full_clean(exclude=["status"])  # lengths, NUL characters; the pending-email rule is checked below
    with transaction.atomic():
        _refuse_if_taken(email)
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError:  # the same person proposed a moment ago, by another request
            raise ProposalError(f"{email} was proposed already; a program manager will decide.") from None
        notify(
            users=_managers(),
            text=f"{proposed_by.name or proposed_by.email} proposed {name} for an invitation.",
            url=reverse("advocacy:proposals"),
        )
    return proposal


def _managers():
    """The people who decide: holders of MANAGE_PROGRAM (through a group or themselves) and superusers."""
    app_label, codename = MANAGE_PROGRAM.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    holders = Q(is_superuser=True)
    if permission is not None:
        holders |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return list(User.objects.filter(holders, is_active=True).distinct())


def _locked(proposal: InvitationProposal) -> InvitationProposal:
    program_lock()  # the program first, then the proposal: the invitation services' lock order
    return InvitationProposal.objects.select_for_update().select_related("proposed_by").get(pk=proposal.pk)


def proposal_confirm(
    *, proposal: InvitationProposal, by: User, note: str = "", origin: str | None = None
) -> InvitationProposal:
    """Send the invitation the proposal asks for (`note` is quoted in it) and tell the proposer.

    The invitation service's refusals (already a member, already invited…) leave the proposal pending
    and write nothing; a manager may then decline it. Confirming twice sends nothing twice."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == InvitationProposal.Status.CONFIRMED:
            return proposal
        if proposal.status == InvitationProposal.Status.DECLINED:
            raise ProposalError(f"The proposal of {proposal.email} was declined; it cannot be confirmed now.")
        invitation, _ = invitation_create(
            email=proposal.email, name=proposal.name, note=note, invited_by=by, origin=origin
        )
        proposal.status = InvitationProposal.Status.CONFIRMED
        proposal.invitation = invitation
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.full_clean(exclude=["status"])
        proposal.save(update_fields=["status", "invitation", "decided_by", "decided_at"])
        _tell_proposer(proposal, origin=origin)
    return proposal


def proposal_decline(
    *, proposal: InvitationProposal, by: User, reason: str, origin: str | None = None
) -> InvitationProposal:
    """Decline with a reason the proposer reads. Declining twice changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the proposer reads it."})
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status == InvitationProposal.Status.DECLINED:
            return proposal
        if proposal.status == InvitationProposal.Status.CONFIRMED:
            raise ProposalError(
                f"The proposal of {proposal.email} was confirmed and the invitation sent; revoke the invitation "
                "instead."
            )
        proposal.status = InvitationProposal.Status.DECLINED
        proposal.decline_reason = reason
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.full_clean(exclude=["status"])
        proposal.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        _tell_proposer(proposal, origin=origin)
    return proposal


def _tell_proposer(proposal: InvitationProposal, *, origin: str | None) -> None:
    """Email the proposer the decision, after the transaction commits (a rolled-back one sends nothing)."""
    context = {"proposal": proposal, "link": absolute_url(reverse("advocacy:proposals"), origin=origin)}
    subject = render_to_string("advocacy/email/proposal_decided_subject.txt", context).strip()
    body = render_to_string("advocacy/email/proposal_decided.txt", context)
    recipient = proposal.proposed_by.email

    def send():
        try:
            send_mail(subject, body, None, [recipient])
        except Exception:  # the decision stands; the proposer sees it on the proposals page
            logger.exception("could not email the decision on proposal %s", proposal.pk)

    transaction.on_commit(send)
