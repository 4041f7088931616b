"""The thank-them queue in the browser: staff thank a fan's positive mention with a shout-out; it leaves the
queue, shows under "Thanked lately" and in the mention's thread."""

import re

import pytest

from advocacy.tests.factories import mentions_by as say

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fans(brand_terms, settings):
    settings.ADVOCACY_CANDIDATE_MIN_POSITIVE = 2
    say("@sunnysipper", 2, days_ago=3, name="Sunny Sipper")


def test_staff_thank_a_fan_from_the_queue(page, sign_in, make_user, fans, screenshot):
    sign_in(make_user("ana.insights"))
    page.get_by_role("link", name="Program").click()
    page.get_by_role("link", name="Thank them").click()
    assert page.get_by_test_id("waiting").inner_text() == "2"
    oldest = page.get_by_test_id("thank-row").first
    assert "Sunny Sipper" in oldest.inner_text()
    screenshot(page, "thank-them")

    oldest.get_by_label("How").select_option("shout_out")
    oldest.get_by_role("button", name=re.compile("Mark Sunny Sipper")).click()
    page.get_by_text("Thanked Sunny Sipper by shout-out.").wait_for()
    assert page.get_by_test_id("waiting").inner_text() == "1"
    thanked = page.get_by_role("region", name="Thanked lately")
    assert "by shout-out" in thanked.inner_text()

    thanked.get_by_role("link", name="Sunny Sipper").click()
    page.get_by_text("by shout-out").first.wait_for()
    assert "Thanked" in page.content()


def test_the_queue_fits_a_phone(phone, sign_in, make_user, fans):
    sign_in(make_user("ana.insights"), on=phone)
    phone.goto("/program/thank/")
    phone.get_by_test_id("thank-row").first.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
