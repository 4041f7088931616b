"""The program's whole journey in the browser: a manager invites; the invitee accepts from the email,
signs up and lands on the ambassador home; copies a referral link; a friend's click on it is counted;
an order through the conversions API shows up on the program pages."""

import json
import re

import pytest
from django.core import mail

from accounts.tests.factories import ApiKeyFactory
from advocacy.models import Membership, ReferralClick
from advocacy.tests.factories import KitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIEND_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def test_a_manager_invites_the_invitee_joins_shares_a_link_and_the_order_shows_up(
    page, browser, live_server, sign_in, make_user, screenshot
):
    # The shop is stood in for by a page of the live server: the test runs offline.
    KitFactory(title="Cherry summer", campaign="cherry-summer", target_url=f"{live_server.url}/stories/")
    sign_in(make_user("ana.insights"))
    page.get_by_role("link", name="Program").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Email").fill("jo.rivers@customers.example")
    page.get_by_label("Name").fill("Jo Rivers")
    page.get_by_label("Personal note").fill("Your cherry float video made our week.")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation sent to jo.rivers@customers.example").wait_for()
    screenshot(page, "invitations")

    path = re.search(r"https?://[^/\s]+(/join/\S+)", mail.outbox[-1].body).group(1)  # the emailed link
    invitee_context = browser.new_context(base_url=live_server.url)
    invitee_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    invitee = invitee_context.new_page()
    invitee.goto(path)
    invitee.get_by_text("Your cherry float video made our week.").wait_for()
    invitee.get_by_label("Choose a password").fill("cherry fizz on a sunday")
    invitee.get_by_label("Password (again)").fill("cherry fizz on a sunday")
    invitee.get_by_label("I accept the program terms").check()
    screenshot(invitee, "join")
    invitee.get_by_role("button", name="Accept and join").click()

    invitee.wait_for_url(f"{live_server.url}/ambassador/")
    invitee.get_by_text("Welcome to the Brand Ambassador Program").wait_for()
    assert Membership.objects.get(user__email="jo.rivers@customers.example").status == "active"
    invitee.get_by_role("button", name="Copy your link for Cherry summer").click()
    invitee.get_by_text("Copied to the clipboard.").wait_for()
    screenshot(invitee, "ambassador-home")
    link = invitee.evaluate("navigator.clipboard.readText()")
    assert link.startswith(f"{live_server.url}/r/")

    # A friend follows the link in their own browser (a headless browser would count as a bot).
    friend = browser.new_context(user_agent=FRIEND_BROWSER).new_page()
    friend.goto(link)
    code = link.rsplit("/", 1)[-1]
    assert f"utm_content={code}" in friend.url
    assert ReferralClick.objects.filter(link__code=code).count() == 1

    # The shop reports the order through the API, as an integration would.
    _, key = ApiKeyFactory(scopes=["referrals:write"])
    answer = page.request.post(
        f"{live_server.url}/api/v1/referrals/conversions",
        headers={"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
        data=json.dumps({"code": code, "order_id": "CS-2001", "customer_ref": "friend-7", "amount": "12.00"}),
    )
    assert answer.status == 201, answer.text()

    page.goto("/program/referrals/")
    assert page.get_by_test_id("total-clicks").inner_text() == "1"
    assert page.get_by_test_id("total-conversions").inner_text() == "1"
    page.get_by_role("link", name="Overview").click()
    row = page.get_by_role("row", name=re.compile("Jo Rivers"))
    assert row.get_by_role("cell").nth(5).inner_text() == "1"  # clicks
    assert row.get_by_role("cell").nth(6).inner_text() == "1"  # conversions
    screenshot(page, "overview")
