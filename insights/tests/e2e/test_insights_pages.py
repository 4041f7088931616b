"""Insights staff walk through the listening pages in Chromium and correct a label."""

import pytest

from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_read_the_inbox_correct_a_label_and_see_agreement(page, sign_in, make_user, screenshot):
    TermFactory()
    mentions_ingest(
        [
            item(1, text="Carl's Soda cherry is great, love it!"),
            item(2, text="The new Carl's Soda can is ugly and hard to open", channel="reddit"),
            item(3, text="Caller asked if Carl's Soda ships to Canada", channel="call-centre"),
        ]
    )
    ana = make_user("ana.insights")
    sign_in(ana)
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("heading", name="Mentions").wait_for()
    screenshot(page, "inbox")

    row = page.locator("tr", has_text="cherry is great")
    row.get_by_role("button", name="Neutral").click()
    page.locator("tr", has_text="cherry is great").get_by_text("by Ana").wait_for()  # swapped in place by htmx
    assert page.locator("tr", has_text="cherry is great").get_by_text("neutral", exact=True).is_visible()

    page.get_by_role("link", name="Review queue").click()
    screenshot(page, "review")
    page.get_by_role("link", name="Model agreement").click()
    assert page.get_by_text("agreed with staff on 0 of 1").is_visible()
    screenshot(page, "agreement")
    page.get_by_role("link", name="Tracked terms").click()
    screenshot(page, "terms")
    page.get_by_role("link", name="Log offline").click()
    screenshot(page, "offline")
