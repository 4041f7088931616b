"""A finding goes from the Customer Insights Team to customer service, who acknowledge it and start on it;
the findings pages fit a 390 px phone."""

import re
from datetime import timedelta

import pytest

from insights.models import Finding, Mention
from insights.selectors.findings import today
from insights.services.findings import finding_status_set
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_route_a_finding_and_customer_service_acknowledges_and_starts_it(
    page, open_page, sign_in, teams, channels, screenshot
):
    TermFactory()
    mentions_ingest([item(1, text="Carl's Soda cans arrive dented every week")])
    mention_id = Mention.objects.get().pk

    # Ana, insights staff, writes the finding for customer service.
    sign_in(teams.ana)
    page.goto("/insights/findings/")
    page.get_by_role("link", name="Write a finding").click()
    page.get_by_label("Title").fill("Dented cans reach customers")
    page.get_by_label("Summary").fill("Customers keep saying their cans arrive dented.")
    page.get_by_label("Recommended action").fill("Answer each one and check the carrier.")
    page.get_by_label("Customer service").check()
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Due").fill((today() + timedelta(days=7)).isoformat())
    page.get_by_label("Mention ids").fill(str(mention_id))
    screenshot(page, "1-write")
    page.get_by_role("button", name="Save and route").click()
    page.get_by_role("heading", name="Dented cans reach customers", level=1).wait_for()
    assert page.get_by_text("Carl's Soda cans arrive dented every week").is_visible()
    finding = Finding.objects.get()

    # Sam, a customer-service employee (not insights staff), is told and acts on it.
    sam_page = open_page()
    sign_in(teams.service.member, on=sam_page)
    notifications = sam_page.get_by_role("link", name=re.compile(r"Notifications\s*1 unread"))
    notifications.wait_for()
    notifications.click()
    screenshot(sam_page, "2-notified")
    sam_page.get_by_role("link", name=re.compile("Dented cans reach customers")).click()
    sam_page.wait_for_url(f"**/insights/findings/{finding.pk}/")
    assert sam_page.get_by_role("link", name="Notifications", exact=True).is_visible()  # opened: read
    sam_page.get_by_role("button", name="Acknowledge").click()
    sam_page.get_by_text("Finding acknowledged.").wait_for()
    sam_page.get_by_role("button", name="Move to in progress").click()
    sam_page.get_by_text("Finding moved to in progress.").wait_for()
    timeline = sam_page.locator("#timeline")
    assert timeline.get_by_text("Acknowledged by Sam").is_visible()
    assert timeline.get_by_text("Moved to in progress by Sam").is_visible()
    assert sam_page.get_by_role("button", name="Edit").count() == 0
    screenshot(sam_page, "3-in-progress")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.IN_PROGRESS


def test_the_findings_pages_fit_a_phone(phone, sign_in, teams, write_finding, screenshot):
    long_title = "Customers in the northern region report that the twelve-pack cardboard tears at the handle"
    finding = write_finding(title=long_title, due=today() - timedelta(days=1), priority="urgent")
    finding_status_set(finding=finding, status="acknowledged", by=teams.service.member)
    write_finding(title="Another", departments=["pr", "customer-service", "marketing"])
    for who, paths in [
        (teams.ana, ["/insights/findings/", "/insights/findings/new/", f"/insights/findings/{finding.pk}/"]),
        (
            teams.service.member,
            ["/departments/customer-service/", f"/insights/findings/{finding.pk}/", "/notifications/"],
        ),
    ]:
        sign_in(who, on=phone)
        for path in paths:
            assert phone.goto(path).ok, path
            screenshot(phone, path.strip("/").replace("/", "-"))
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        phone.context.clear_cookies()
