"""What cannot be undone asks first, on a page of its own (no JavaScript needed): revoke, end a membership."""

import pytest

from advocacy.models import Invitation, Membership
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_manager_confirms_a_revocation_and_an_ending_and_cancels_one(no_script_page, make_user, screenshot):
    from accounts.demo import DEMO_PASSWORD

    page = no_script_page
    ana = make_user("ana.insights")
    invitation, _ = InvitationFactory(email="kim@customers.example")
    member = MembershipFactory(user=make_user(name="Theo Marsh", email="theo@customers.example"))
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(ana.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/program/invitations/")
    page.get_by_role("button", name="Revoke the invitation to kim@customers.example").click()
    page.get_by_role("heading", name="Revoke the invitation to kim@customers.example?").wait_for()
    screenshot(page, "revoke-confirm")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("heading", name="Invitations").wait_for()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING  # cancelled: nothing happened

    page.get_by_role("button", name="Revoke the invitation to kim@customers.example").click()
    page.get_by_role("button", name="Revoke the invitation").click()
    page.get_by_text("The invitation to kim@customers.example is revoked.").wait_for()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED

    page.goto(f"/program/members/{member.pk}/")
    page.get_by_label("Reason").fill("Posted spam about a rival")
    page.get_by_role("button", name="Removed").click()
    page.get_by_role("heading", name="End the membership of Theo Marsh (removed)?").wait_for()
    screenshot(page, "end-confirm")
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    page.get_by_role("button", name="End the membership: removed").click()
    page.get_by_text("The membership is updated.").wait_for()
    member.refresh_from_db()
    assert (member.status, member.left_reason) == (Membership.Status.ALUMNI, "Posted spam about a rival")
