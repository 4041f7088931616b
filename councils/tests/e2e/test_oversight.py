"""Oversight in the browser: a Brand Advisory Council member (seated: in the council's group) sees the
program read-only and proposes an invitation; a manager confirms it; the invitation email goes out
and its link opens the join page; the proposer's email links to their proposals. Both widths fit."""

import re

import pytest
from django.core import mail

from accounts.roles import user_roles_forget
from advocacy.models import Invitation, InvitationProposal, Membership
from advocacy.tests.factories import MembershipFactory
from councils.models import Council

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def brand_council(db):
    """The Brand council, its group and its grants (remade after a flush by the post-migrate hook)."""
    return Council.objects.get(kind="brand")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_brand_council_member_proposes_a_manager_confirms_and_the_invitation_goes_out(
    page, browser, live_server, sign_in, make_user, brand_council, screenshot
):
    cole = make_user("cole.council")
    MembershipFactory(user=cole)  # a brand advocate is an active ambassador
    MembershipFactory(user=make_user(email="dana.member@customers.example", name="Dana Member"))
    brand_council.group.user_set.add(cole)  # what seating does
    user_roles_forget(cole.pk)

    page.set_viewport_size(DESKTOP)
    sign_in(cole)
    page.get_by_role("link", name="Program", exact=True).click()
    page.get_by_test_id("read-only").wait_for()
    assert page.get_by_role("link", name="Dana Member").is_visible()
    assert "dana.member@customers.example" not in page.content()
    assert page.locator("main form[method=post]").count() == 0
    screenshot(page, "program-read-only-1366")
    page.set_viewport_size(PHONE)
    assert fits(page)
    screenshot(page, "program-read-only-390")
    dana = Membership.objects.get(user__email="dana.member@customers.example")
    for path in ["/program/invitations/", f"/program/members/{dana.pk}/", "/program/referrals/"]:
        assert page.goto(path).ok, path
        page.get_by_test_id("read-only").wait_for()
        assert fits(page), path
    screenshot(page, "member-read-only-390")
    page.set_viewport_size(DESKTOP)
    page.goto("/program/")

    page.get_by_role("link", name="Proposals").click()
    page.get_by_label("Their email").fill("lena.ortiz@customers.example")
    page.get_by_label("Their name").fill("Lena Ortiz")
    page.get_by_label("Why invite them?").fill("She posts a cherry float recipe every week and answers questions.")
    page.get_by_role("button", name="Propose").click()
    page.get_by_text("Thank you: Lena Ortiz is proposed.").wait_for()
    assert page.get_by_test_id("my-proposals").get_by_text("Waiting for a manager").is_visible()
    screenshot(page, "proposed-1366")
    page.set_viewport_size(PHONE)
    assert fits(page)
    screenshot(page, "proposed-390")

    manager = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    sign_in(make_user("ana.insights"), on=manager)
    manager.goto("/program/proposals/")
    manager.get_by_role("heading", name="Waiting for a decision (1)").wait_for()
    manager.get_by_text("She posts a cherry float recipe every week").wait_for()
    manager.get_by_label("Personal note").fill("Cole from our Brand Advisory Council suggested you.")
    screenshot(manager, "manager-1366")
    manager.get_by_role("button", name="Confirm and send the invitation").click()
    manager.get_by_text("Invitation sent to lena.ortiz@customers.example").wait_for()
    manager.set_viewport_size(PHONE)
    assert fits(manager)
    screenshot(manager, "manager-390")

    assert InvitationProposal.objects.get().status == InvitationProposal.Status.CONFIRMED
    assert Invitation.objects.get(email="lena.ortiz@customers.example").status == Invitation.Status.PENDING
    to_invitee = next(m for m in mail.outbox if m.to == ["lena.ortiz@customers.example"])
    to_cole = next(m for m in mail.outbox if m.to == [cole.email])
    assert "Cole from our Brand Advisory Council suggested you." in to_invitee.body

    invitee = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    invitee.goto(re.search(r"https?://[^/\s]+(/join/\S+)", to_invitee.body).group(1))  # the emailed link
    invitee.get_by_role("button", name="Accept and join").wait_for()
    screenshot(invitee, "join-390")

    page.set_viewport_size(DESKTOP)
    page.goto(re.search(r"https?://[^/\s]+(/\S+)", to_cole.body).group(1))  # the proposer's emailed link
    page.get_by_test_id("my-proposals").get_by_text("Confirmed: invitation sent").wait_for()
