"""Oversight of the program by holders of its read-only and proposing permissions (the Brand Advisory
Council's group holds them; the program knows only its own permissions, so these tests use a group of
their own): read pages without forms, buttons or contact data; every write is for managers; proposals
that a manager confirms (the real invitation goes out) or declines, the proposer emailed either way."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Notification, User
from accounts.roles import Role, user_roles_forget
from advocacy.models import Invitation, InvitationProposal, Membership, Program, WaitlistEntry
from advocacy.services.invitations import InvitationError, invitation_accept, invitation_for_token
from advocacy.services.proposals import ProposalError, proposal_confirm, proposal_create, proposal_decline
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def overseer_group(*codenames: str) -> Group:
    group, _ = Group.objects.get_or_create(name="Program overseers")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="advocacy", codename__in=codenames))
    return group


@pytest.fixture
def overseer(make_user):
    """An ambassador in a group holding read_program and propose_invitation (as a Brand council member)."""
    user = make_user(email="cole.overseer@example.net", name="Cole Brandt", roles=[Role.AMBASSADOR])
    overseer_group("read_program", "propose_invitation").user_set.add(user)
    user_roles_forget(user.pk)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reader(client, overseer):
    client.force_login(overseer)
    return client


@pytest.fixture
def manager(make_user):
    return make_user("ana.insights")


@pytest.fixture
def member():
    return MembershipFactory(user__email="dana.member@customers.example", user__name="Dana Member")


# --- Read-only pages ------------------------------------------------------------------------------


def test_a_reader_opens_the_read_pages_without_forms_buttons_or_contact_data(reader, member):
    invitation, _ = InvitationFactory(email="kim@customers.example", name="Kim Vale")
    for name, kwargs in [
        ("advocacy:program", {}),
        ("advocacy:invitations", {}),
        ("advocacy:member", {"pk": member.pk}),
        ("advocacy:referral_report", {}),
    ]:
        response = reader.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'data-testid="read-only"' in html, name
        assert 'method="post"' not in html.split("<main", 1)[1], name  # no form in the page's content
        assert "dana.member@customers.example" not in html, name
        assert "kim@customers.example" not in html, name
    assert "Kim Vale" in reader.get(reverse("advocacy:invitations")).content.decode()
    assert "Dana Member" in reader.get(reverse("advocacy:program")).content.decode()
    nav = reader.get(reverse("advocacy:program")).content.decode()
    for hidden in ("advocacy:candidates", "advocacy:kits", "advocacy:referral_review", "advocacy:thank_them"):
        assert f'href="{reverse(hidden)}"' not in nav, hidden
    assert invitation.status == Invitation.Status.PENDING


def test_a_manager_still_sees_the_forms_and_contact_data(client, manager, member):
    client.force_login(manager)
    html = client.get(reverse("advocacy:member", kwargs={"pk": member.pk})).content.decode()
    assert "dana.member@customers.example" in html
    assert reverse("advocacy:member_status", kwargs={"pk": member.pk}) in html
    assert 'data-testid="read-only"' not in html


def test_every_write_refuses_a_reader_with_403_and_changes_nothing(reader, member):
    invitation, _ = InvitationFactory(email="kim@customers.example")
    writes = [
        (reverse("advocacy:invitations"), {"email": "new@customers.example", "name": "New Person"}),
        (reverse("advocacy:invitation_resend", args=[invitation.pk]), {}),
        (reverse("advocacy:invitation_revoke", args=[invitation.pk]), {"confirm": "1"}),
        (reverse("advocacy:member_status", args=[member.pk]), {"action": "removed", "reason": "x", "confirm": "1"}),
        (reverse("advocacy:member_erase", args=[member.pk]), {"confirm": "1"}),
        (reverse("advocacy:kit_create"), {"title": "Sneaky kit"}),
        (reverse("advocacy:candidates_merge"), {}),
        (reverse("advocacy:referral_review"), {}),
    ]
    sent_before = len(mail.outbox)
    for url, data in writes:
        assert reader.post(url, data).status_code == 403, url
    invitation.refresh_from_db()
    member.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert member.status == Membership.Status.ACTIVE
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == sent_before


def test_people_without_the_permission_cannot_read(client, make_user):
    client.force_login(make_user("cole.council"))  # the council role alone, no seat: no group permission
    assert client.get(reverse("advocacy:program")).status_code == 403
    assert client.get(reverse("advocacy:proposals")).status_code == 403


def test_the_navigation_shows_a_reader_one_program_entry(reader, manager, client):
    html = reader.get("/stories/").content.decode()
    menu = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    assert menu.count(f'href="{reverse("advocacy:program")}"') == 1
    overseer_group("read_program").user_set.add(manager)  # a manager who also reads: still one entry
    user_roles_forget(manager.pk)
    client.force_login(manager)
    menu = client.get("/stories/").content.decode().split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>")[0]
    assert menu.count(f'href="{reverse("advocacy:program")}"') == 1


# --- Proposals ---------------------------------------------------------------------------------------


def _propose(client, **data):
    data = {"email": "lena@customers.example", "name": "Lena Ortiz", "reason": "Posts a float recipe weekly."} | data
    return client.post(reverse("advocacy:proposals"), data)


def _link(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def test_a_proposal_confirmed_sends_the_invitation_and_tells_the_proposer(
    reader, overseer, manager, client, django_capture_on_commit_callbacks
):
    response = _propose(reader)
    assert response.status_code == 302
    proposal = InvitationProposal.objects.get()
    assert proposal.status == InvitationProposal.Status.PENDING
    assert proposal.proposed_by == overseer
    assert not Invitation.objects.exists()
    assert "Lena Ortiz" in reader.get(reverse("advocacy:proposals")).content.decode()

    manager_client = type(client)()
    manager_client.force_login(manager)
    assert Notification.objects.filter(user=manager, url=reverse("advocacy:proposals")).exists()
    assert not Notification.objects.filter(user=overseer).exists()
    overview = manager_client.get(reverse("advocacy:program")).content.decode()
    assert "1 proposed invitation</a> waits for your decision" in overview
    page = manager_client.get(reverse("advocacy:proposals")).content.decode()
    assert "Posts a float recipe weekly." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("advocacy:proposal_confirm", args=[proposal.pk]), {"note": "Cole says you make great floats."}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    invitation = Invitation.objects.get()
    assert proposal.status == InvitationProposal.Status.CONFIRMED
    assert proposal.invitation == invitation
    assert invitation.invited_by == manager
    assert invitation.email == "lena@customers.example"
    to_invitee, to_proposer = sorted(mail.outbox, key=lambda m: m.to != ["lena@customers.example"])
    assert "Cole says you make great floats." in to_invitee.body
    assert "Posts a float recipe weekly." not in to_invitee.body  # the reason is for the managers
    token = _link(to_invitee.body).rstrip("/").rsplit("/", 1)[1]
    assert invitation_for_token(token) == invitation
    assert to_proposer.to == [overseer.email]
    assert "confirmed" in to_proposer.subject
    link = _link(to_proposer.body)
    assert link.endswith(reverse("advocacy:proposals"))
    page = reader.get(link.split("testserver", 1)[1])  # the proposer's link opens their proposals
    assert page.status_code == 200
    assert "Confirmed: invitation sent" in page.content.decode()

    # A retried confirm sends nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("advocacy:proposal_confirm", args=[proposal.pk]), {})
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_proposal_declined_with_a_reason_tells_the_proposer_why(
    overseer, manager, client, django_capture_on_commit_callbacks
):
    proposal = proposal_create(email="lena@customers.example", name="Lena Ortiz", reason="Fan", proposed_by=overseer)
    client.force_login(manager)
    response = client.post(reverse("advocacy:proposal_decline", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Say why: the proposer reads it." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == InvitationProposal.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("advocacy:proposal_decline", args=[proposal.pk]), {"reason": "She works for Bubbleton."})
    proposal.refresh_from_db()
    assert proposal.status == InvitationProposal.Status.DECLINED
    assert proposal.decided_by == manager
    assert not Invitation.objects.exists()
    (email,) = mail.outbox
    assert email.to == [overseer.email]
    assert "She works for Bubbleton." in email.body
    assert "declined" in email.subject
    with pytest.raises(ProposalError, match="was declined"):
        proposal_confirm(proposal=proposal, by=manager)
    assert proposal_decline(proposal=proposal, by=manager, reason="again").decline_reason == "She works for Bubbleton."


def test_proposing_the_same_email_twice_is_refused_clearly(reader, overseer):
    assert _propose(reader).status_code == 302
    again = _propose(reader, email="LENA@customers.example", name="Lena O.")
    assert again.status_code == 400
    assert "was proposed already" in again.content.decode()
    assert InvitationProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"name": ""}, "Give the person&#x27;s name."),
        ({"reason": "   "}, "Say why they should be invited"),
        ({"reason": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(reader, data, message):
    response = _propose(reader, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InvitationProposal.objects.exists()


def test_the_service_refuses_what_the_database_cannot_keep(overseer):
    """NUL characters (the middleware refuses them in requests; a command or task could still send them)."""
    with pytest.raises(ValidationError, match="Null characters are not allowed"):
        proposal_create(email="lena@customers.example", name="Lena\x00Ortiz", reason="Fan", proposed_by=overseer)
    assert not InvitationProposal.objects.exists()


def test_a_member_a_pending_invitee_or_someone_waiting_cannot_be_proposed(overseer):
    MembershipFactory(user__email="dana.member@customers.example")
    InvitationFactory(email="kim@customers.example")
    for email, message in [
        ("dana.member@customers.example", "already a member"),
        ("kim@customers.example", "pending invitation already"),
    ]:
        with pytest.raises(ProposalError, match=message):
            proposal_create(email=email, name="Someone", reason="Fan", proposed_by=overseer)
    assert not InvitationProposal.objects.exists()


def test_confirming_keeps_the_invitation_rules_and_writes_nothing_when_they_refuse(overseer, manager):
    proposal = proposal_create(email="lena@customers.example", name="Lena Ortiz", reason="Fan", proposed_by=overseer)
    InvitationFactory(email="lena@customers.example")  # a manager invited her directly meanwhile
    with pytest.raises(InvitationError, match="already has a pending invitation"):
        proposal_confirm(proposal=proposal, by=manager)
    proposal.refresh_from_db()
    assert proposal.status == InvitationProposal.Status.PENDING
    assert proposal.invitation is None
    assert Invitation.objects.count() == 1


def test_a_proposal_confirmed_when_the_program_is_full_leads_to_the_waitlist_not_a_seat_beyond_the_cap(
    overseer, manager, client, django_capture_on_commit_callbacks
):
    seated = [MembershipFactory() for _ in range(2)]
    Program.objects.filter(pk=1).update(seat_limit=2)
    proposal = proposal_create(email="lena@customers.example", name="Lena Ortiz", reason="Fan", proposed_by=overseer)
    client.force_login(manager)
    assert "The program is full" in client.get(reverse("advocacy:proposals")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("advocacy:proposal_confirm", args=[proposal.pk]), {}, follow=True)
    assert "they join the waitlist" in response.content.decode()
    invitee_mail = next(m for m in mail.outbox if m.to == ["lena@customers.example"])
    token = _link(invitee_mail.body).rstrip("/").rsplit("/", 1)[1]
    acceptance = invitation_accept(token=token, name="Lena Ortiz", password="a long passphrase 42")
    assert acceptance.waitlisted
    assert WaitlistEntry.objects.get().user.email == "lena@customers.example"
    assert Membership.objects.filter(status="active").count() == len(seated) == 2


def test_only_managers_decide_and_proposers_see_only_their_own(reader, overseer, make_user):
    other = make_user(email="bea.other@example.net", name="Bea Other", roles=[Role.AMBASSADOR])
    overseer_group().user_set.add(other)
    theirs = proposal_create(email="zed@customers.example", name="Zed Quill", reason="Fan", proposed_by=other)
    page = reader.get(reverse("advocacy:proposals")).content.decode()
    assert "Zed Quill" not in page
    assert reader.post(reverse("advocacy:proposal_confirm", args=[theirs.pk]), {}).status_code == 403
    assert reader.post(reverse("advocacy:proposal_decline", args=[theirs.pk]), {"reason": "no"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == InvitationProposal.Status.PENDING
    assert not Invitation.objects.exists()


def test_an_unknown_proposal_is_404_for_a_manager(client, manager):
    client.force_login(manager)
    assert client.post(reverse("advocacy:proposal_confirm", args=[999999]), {}).status_code == 404


def test_the_proposals_page_costs_the_same_queries_for_many_proposals(
    client, overseer, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(reverse("advocacy:proposals"))  # warm the session and the cached roles
    for n in range(12):
        proposal = proposal_create(
            email=f"fan{n}@customers.example", name=f"Fan {n}", reason="Fan", proposed_by=overseer
        )
        if n % 3 == 1:
            proposal_confirm(proposal=proposal, by=manager)
        elif n % 3 == 2:
            proposal_decline(proposal=proposal, by=manager, reason="Not now")
    with django_assert_max_num_queries(9):  # 7 today (session, user, pages, counts)
        response = client.get(reverse("advocacy:proposals"))
    assert response.content.decode().count('data-testid="proposal"') == 4
