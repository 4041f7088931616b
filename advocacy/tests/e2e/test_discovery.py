"""Advocate discovery in the browser: staff pick the top candidate and invite them with the prefilled form;
the invitee accepts from the email; the program page says one ambassador came from listening."""

import re

import pytest
from django.core import mail

from advocacy.tests.factories import PRAISE
from advocacy.tests.factories import mentions_by as say

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fans(brand_terms):
    say("@fizzwhisperer", 8, reach=9000, likes=30, name="Wren Whisper")
    say("@quietfan", 3, reach=40, name="Quinn Quiet")


def test_staff_invite_the_top_candidate_and_the_program_counts_an_ambassador_from_listening(
    page, browser, live_server, sign_in, make_user, fans, screenshot
):
    sign_in(make_user("ana.insights"))
    page.get_by_role("link", name="Program").click()
    page.get_by_role("link", name="Candidates").click()
    top = page.get_by_test_id("candidate").first
    assert "@fizzwhisperer" in top.inner_text()
    page.get_by_text("How the score works").wait_for()
    screenshot(page, "candidates")

    top.get_by_role("link", name="Invite Wren Whisper").click()
    assert page.get_by_label("Name").input_value() == "Wren Whisper"
    assert PRAISE in page.get_by_label("Personal note").input_value()
    assert "@fizzwhisperer on twitter" in page.get_by_test_id("found-as").inner_text()
    page.get_by_label("Email").fill("wren.whisper@fans.example")
    screenshot(page, "prefilled")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation sent to wren.whisper@fans.example").wait_for()
    assert page.get_by_role("row", name=re.compile("wren.whisper")).get_by_text("From listening").is_visible()

    path = re.search(r"https?://[^/\s]+(/join/\S+)", mail.outbox[-1].body).group(1)  # the emailed link
    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(path)
    invitee.get_by_label("Choose a password").fill("cherry fizz on a sunday")
    invitee.get_by_label("Password (again)").fill("cherry fizz on a sunday")
    invitee.get_by_label("I accept the program terms").check()
    invitee.get_by_role("button", name="Accept and join").click()
    invitee.wait_for_url(f"{live_server.url}/ambassador/")
    invitee.context.close()

    page.get_by_role("link", name="Overview").click()
    assert "1 ambassador came from listening" in page.get_by_test_id("from-listening").inner_text()
    screenshot(page, "program")
    page.get_by_role("link", name="Candidates").click()
    top = page.get_by_test_id("candidate").first
    assert "Ambassador" in top.inner_text()
    assert top.get_by_role("link", name=re.compile("^Invite")).count() == 0


def test_the_candidates_page_fits_a_phone(phone, sign_in, make_user, fans, screenshot):
    sign_in(make_user("ana.insights"), on=phone)
    phone.goto("/program/candidates/")
    phone.get_by_test_id("candidate").first.wait_for()
    screenshot(phone, "candidates")

    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
