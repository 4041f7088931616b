import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import has_role
from advocacy.models import Invitation, Membership, MembershipEvent, Program, WaitlistEntry
from advocacy.services.invitations import (
    InvitationError,
    InvitationUnusable,
    invitation_accept,
    invitation_resend,
    invitation_revoke,
)
from advocacy.services.membership import MembershipError, membership_end
from advocacy.tasks import invitations_expire_task
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_invitee_accepts_and_becomes_an_active_ambassador(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = InvitationFactory(email="Kim.Vale@Customers.example", note="Loved your cherry review!")
    assert mail.outbox[0].to == ["kim.vale@customers.example"]
    assert f"/join/{token}" in mail.outbox[0].body
    assert "Loved your cherry review!" in mail.outbox[0].body
    assert token not in Invitation.objects.values_list("token_hash", flat=True)

    acceptance = invitation_accept(token=token, name="Kim Vale", password="a long passphrase 42")

    assert acceptance.membership.status == Membership.Status.ACTIVE
    assert acceptance.membership.seat == 1
    assert acceptance.user.check_password("a long passphrase 42")
    assert acceptance.user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    with pytest.raises(InvitationUnusable):
        invitation_accept(token=token, name="Kim Vale", password="a long passphrase 42")


def test_a_full_program_puts_the_next_acceptance_on_the_waitlist(settings):
    program_members = [MembershipFactory() for _ in range(3)]
    Program.objects.filter(pk=1).update(seat_limit=3)
    _, token = InvitationFactory()

    acceptance = invitation_accept(token=token, name="Lee Park", password="a long passphrase 42")

    assert acceptance.waitlisted
    assert WaitlistEntry.objects.get().user == acceptance.user
    assert Membership.objects.filter(status="active").count() == len(program_members)


def test_inviting_a_pending_email_twice_is_refused_with_a_clear_message():
    InvitationFactory(email="sam@customers.example")
    with pytest.raises(InvitationError, match="already has a pending invitation"):
        InvitationFactory(email="SAM@customers.example")
    assert Invitation.objects.count() == 1


def _full_program_with_waitlist(seats=2, waiting=2):
    Program.objects.filter(pk=1).update(seat_limit=seats)
    members = [MembershipFactory() for _ in range(seats)]
    waiting_users = []
    for n in range(waiting):
        _, token = InvitationFactory(email=f"waiting{n}@customers.example")
        waiting_users.append(invitation_accept(token=token, name=f"Waiting {n}", password="x" * 12).user)
    return members, waiting_users


def test_a_freed_seat_is_offered_to_the_first_in_line_who_takes_it_with_one_click(
    django_capture_on_commit_callbacks,
):
    members, (first, second) = _full_program_with_waitlist()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=members[0], kind=MembershipEvent.Kind.LEFT, reason="Moving abroad")

    assert [m.to for m in mail.outbox] == [[first.email]]
    token = mail.outbox[0].body.split("/join/")[1].split()[0]
    entry = WaitlistEntry.objects.get(user=first)
    assert entry.status == WaitlistEntry.Status.OFFERED
    # The offered seat is held: an ordinary invitation accepted now waits in line.
    _, other_token = InvitationFactory(email="late@customers.example")
    assert invitation_accept(token=other_token, name="Late", password="x" * 12).waitlisted

    acceptance = invitation_accept(token=token, user=first)

    assert acceptance.membership.status == Membership.Status.ACTIVE
    assert acceptance.membership.seat == members[0].seat
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.SEATED
    assert WaitlistEntry.objects.get(user=second).status == WaitlistEntry.Status.WAITING


def test_a_lapsed_offer_passes_the_seat_to_the_next_in_line(django_capture_on_commit_callbacks):
    members, (first, second) = _full_program_with_waitlist()
    membership_end(membership=members[0], kind=MembershipEvent.Kind.REMOVED, reason="Broke the terms")
    Invitation.objects.filter(kind=Invitation.Kind.WAITLIST_OFFER).update(expires_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        result = invitations_expire_task.delay().get()

    assert result == {"expired": 1, "offers_lapsed": 1, "offers_made": 1}
    assert WaitlistEntry.objects.get(user=first).status == WaitlistEntry.Status.LAPSED
    assert WaitlistEntry.objects.get(user=second).status == WaitlistEntry.Status.OFFERED
    assert invitations_expire_task.delay().get() == {"expired": 0, "offers_lapsed": 0, "offers_made": 0}


def test_removing_a_member_needs_a_reason_and_keeps_their_history():
    membership = MembershipFactory()
    with pytest.raises(MembershipError, match="Say why"):
        membership_end(membership=membership, kind=MembershipEvent.Kind.REMOVED)
    membership_end(membership=membership, kind=MembershipEvent.Kind.REMOVED, reason="Undisclosed paid posts")
    membership.refresh_from_db()
    assert (membership.status, membership.seat) == (Membership.Status.ALUMNI, None)
    assert [e.kind for e in membership.events.all()] == ["joined", "removed"]
    assert not has_role(membership.user, "ambassador")


def test_inviting_an_active_member_is_refused():
    membership = MembershipFactory()
    with pytest.raises(InvitationError, match="already a member"):
        InvitationFactory(email=membership.user.email.upper())


def test_resending_kills_the_old_link_and_revoking_kills_the_new_one(django_capture_on_commit_callbacks):
    invitation, old = InvitationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation, new = invitation_resend(invitation=invitation)
    assert new in mail.outbox[-1].body
    assert invitation.send_count == 2
    with pytest.raises(InvitationUnusable):
        invitation_accept(token=old, name="A", password="x" * 12)
    invitation_revoke(invitation=invitation)
    with pytest.raises(InvitationUnusable):
        invitation_accept(token=new, name="A", password="x" * 12)
