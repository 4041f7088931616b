import pytest
from django.core import mail

from advocacy.models import Invitation, Membership, WaitlistEntry
from advocacy.services.invitations import InvitationError, InvitationUnusable, invitation_accept
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
    from advocacy.models import Program

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
