"""Program managers' pages: invite, resend, revoke, seats and funnel, a member's history."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from advocacy.models import Invitation, Membership, Program, WaitlistEntry
from advocacy.services.invitations import invitation_accept
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, login):
    login(client, "ana.insights")
    return client


def test_a_manager_invites_by_email_with_a_note_and_a_reload_sends_nothing_twice(
    manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("advocacy:invitations"),
            {"email": "kim@customers.example", "name": "Kim Vale", "note": "Your float recipe!"},
        )
    assert response.status_code == 302  # post/redirect/get
    assert mail.outbox[0].to == ["kim@customers.example"]
    assert "Your float recipe!" in mail.outbox[0].body
    page = manager.get(response["Location"]).content.decode()
    assert "Invitation sent to kim@customers.example" in page
    assert "kim@customers.example" in page

    again = manager.post(reverse("advocacy:invitations"), {"email": "kim@customers.example"})
    assert again.status_code == 400
    assert "already has a pending invitation" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_an_invalid_email_is_refused_on_the_form(manager):
    response = manager.post(reverse("advocacy:invitations"), {"email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_resend_and_revoke_from_the_list(manager, django_capture_on_commit_callbacks):
    invitation, _ = InvitationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("advocacy:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1
    manager.post(reverse("advocacy:invitation_revoke", args=[invitation.pk]), {"confirm": "1"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    response = manager.post(reverse("advocacy:invitation_resend", args=[invitation.pk]), follow=True)
    assert "it cannot be resent" in response.content.decode()


def test_the_overview_shows_seats_waitlist_and_the_funnel(manager):
    Program.objects.filter(pk=1).update(seat_limit=2)
    members = [MembershipFactory(), MembershipFactory()]
    _, token = InvitationFactory()
    invitation_accept(token=token, name="Lee Park", password="x" * 12)  # waitlisted
    InvitationFactory()  # pending

    page = manager.get(reverse("advocacy:program"))

    html = page.content.decode()
    assert page.context["seats_used"] == 2
    assert dict(page.context["funnel_steps"]) == {
        "Sent": 2,
        "Pending": 1,
        "Accepted": 1,
        "Declined": 0,
        "Expired": 0,
        "Revoked": 0,
    }
    assert "Lee Park" in html  # on the waitlist
    assert all(m.user.name in html for m in members)


def test_ending_a_membership_from_its_page_frees_the_seat_for_the_waitlist(manager, django_capture_on_commit_callbacks):
    Program.objects.filter(pk=1).update(seat_limit=1)
    member = MembershipFactory()
    _, token = InvitationFactory()
    invitation_accept(token=token, name="Lee Park", password="x" * 12)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            reverse("advocacy:member_status", args=[member.pk]), {"action": "left", "reason": "Moved", "confirm": "1"}
        )

    member.refresh_from_db()
    assert member.status == Membership.Status.ALUMNI
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.OFFERED
    assert len(mail.outbox) == 1
    page = manager.get(reverse("advocacy:member", args=[member.pk])).content.decode()
    assert "Left" in page
    assert "Moved" in page


def test_removing_without_a_reason_is_refused_and_changes_nothing(manager):
    member = MembershipFactory()
    response = manager.post(
        reverse("advocacy:member_status", args=[member.pk]), {"action": "removed", "confirm": "1"}, follow=True
    )
    assert "Say why the member is removed" in response.content.decode()
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE


def test_an_employee_cannot_invite(client, login):
    login(client, "eli.employee")
    response = client.post(reverse("advocacy:invitations"), {"email": "kim@customers.example"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_permission_can_be_given_to_another_role(client, login):
    from django.contrib.auth.models import Group, Permission

    council = Group.objects.get(name="council_member")
    council.permissions.add(Permission.objects.get(codename="manage_program"))
    login(client, "cole.council")
    assert client.get(reverse("advocacy:invitations")).status_code == 200


# --- Irreversible actions ask first (a page of their own: no JavaScript needed) ---------------


def confirm_form(html: str) -> dict:
    """The hidden fields of the confirm page's form, as a browser would send them."""
    form = next(form for form in html.split("</form>") if 'name="confirm" value="1"' in form)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_revoking_an_invitation_asks_first(manager):
    invitation, _ = InvitationFactory(email="kim@customers.example")
    url = reverse("advocacy:invitation_revoke", args=[invitation.pk])

    asked = manager.post(url)
    invitation.refresh_from_db()
    assert asked.status_code == 200
    assert "Revoke the invitation to kim@customers.example?" in asked.content.decode()
    assert invitation.status == Invitation.Status.PENDING

    done = manager.post(url, confirm_form(asked.content.decode()))
    invitation.refresh_from_db()
    assert done.status_code == 302
    assert invitation.status == Invitation.Status.REVOKED


def test_ending_a_membership_asks_first_and_keeps_the_reason(manager):
    member = MembershipFactory()
    url = reverse("advocacy:member_status", args=[member.pk])

    asked = manager.post(url, {"action": "removed", "reason": "Spam posts"})
    member.refresh_from_db()
    assert asked.status_code == 200
    assert "This cannot be undone" in asked.content.decode()
    assert member.status == Membership.Status.ACTIVE

    manager.post(url, confirm_form(asked.content.decode()))
    member.refresh_from_db()
    assert member.status == Membership.Status.ALUMNI
    assert member.left_reason == "Spam posts"


def test_pausing_is_undone_by_resuming_so_it_asks_nothing(manager):
    member = MembershipFactory()

    response = manager.post(reverse("advocacy:member_status", args=[member.pk]), {"action": "pause"})

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.status == Membership.Status.PAUSED


def test_the_demo_invitations_list_newest_first_and_say_who_invited(client, demo_users, channels):
    from advocacy.demo import demo_program_seed

    demo_program_seed()
    client.force_login(demo_users["ana.insights"])

    listed = list(client.get(reverse("advocacy:invitations")).context["invitations"])

    sent = [invitation.sent_at for invitation in listed]
    assert sent == sorted(sent, reverse=True)
    assert all(invitation.invited_by is not None for invitation in listed)
    assert {invitation.invited_by.email for invitation in listed} <= {
        demo_users["ana.insights"].email,
        demo_users["ada.admin"].email,
    }
