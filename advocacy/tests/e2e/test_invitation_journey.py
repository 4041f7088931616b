"""A manager invites in the browser; the invitee opens the emailed link, signs up and lands on the ambassador home."""

import re

import pytest
from django.core import mail

from advocacy.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_invites_and_the_invitee_accepts_from_the_email(
    page, browser, live_server, sign_in, make_user, screenshot
):
    sign_in(make_user("ana.insights"))
    page.get_by_role("link", name="Program").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Email").fill("jo.rivers@customers.example")
    page.get_by_label("Name").fill("Jo Rivers")
    page.get_by_label("Personal note").fill("Your cherry float video made our week.")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation sent to jo.rivers@customers.example").wait_for()
    screenshot(page, "invitations")

    path = re.search(r"https?://[^/\s]+(/join/\S+/)", mail.outbox[-1].body).group(1)  # the emailed link
    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(path)
    invitee.get_by_text("Your cherry float video made our week.").wait_for()
    invitee.get_by_label("Choose a password").fill("cherry fizz on a sunday")
    invitee.get_by_label("Password (again)").fill("cherry fizz on a sunday")
    invitee.get_by_label("I accept the program terms").check()
    screenshot(invitee, "join")
    invitee.get_by_role("button", name="Accept and join").click()

    invitee.wait_for_url(f"{live_server.url}/ambassador/")
    invitee.get_by_text("Welcome to the Brand Ambassador Program").wait_for()
    screenshot(invitee, "ambassador-home")
    assert Membership.objects.get(user__email="jo.rivers@customers.example").status == "active"

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Jo Rivers").wait_for()
    screenshot(page, "overview")
