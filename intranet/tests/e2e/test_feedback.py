"""In Chromium: an employee sends anonymous feedback from a phone, and the council's report hides the groups
under 5 (and what would give them away) while it shows the groups of 5 or more; the feedback pages fit a
390 px phone and a 1366 px laptop."""

import re

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Department
from intranet.feedback_services import feedback_give, suggestion_answer
from intranet.models import Feedback
from intranet.tests.factories import employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def _council_member():
    user = employee(name="Cara Council")
    user.user_permissions.add(Permission.objects.get(codename="moderate_intranet", content_type__app_label="intranet"))
    return user


def _earlier_feedback():
    bottling = Department.objects.create(slug="bottling", name="Bottling")
    marketing = Department.objects.get_or_create(slug="marketing", defaults={"name": "Marketing"})[0]
    for n in range(8):
        feedback_give(
            author=employee(), topic="workload", text=f"Long shifts, week {n}.", department=bottling, anonymous=True
        )
    for n in range(7):
        feedback_give(
            author=employee(), topic="culture", text=f"Good team spirit {n}.", department=marketing, anonymous=True
        )
    for n in range(2):
        feedback_give(author=employee(), topic="other", text=f"Something else {n}.", anonymous=True)


def test_anonymous_feedback_is_sent_and_the_report_hides_groups_under_five(open_page, sign_in, phone, screenshot):
    _earlier_feedback()
    Department.objects.create(slug="sales", name="Sales")
    giver = employee(name="Gia Giver")
    council = _council_member()

    page = sign_in(giver, on=phone)
    page.goto("/intranet/feedback/")
    assert fits(page)
    page.get_by_label("Topic").select_option(label="Tools and equipment")
    page.get_by_label("Your feedback").fill("The order tablets in Sales freeze <b>every</b> morning.")
    page.get_by_label("Department").select_option(label="Sales")
    page.get_by_label("Send it anonymously").check()
    screenshot(page, "feedback-form-on-a-phone")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your anonymous feedback is in").wait_for()
    assert page.url.endswith("/intranet/feedback/thanks/")
    assert not UUID.search(page.content())  # nothing on the page points to the row
    assert fits(page)
    screenshot(page, "thanks-on-a-phone")
    sent = Feedback.objects.get(text__startswith="The order tablets")
    assert sent.author is None
    assert sent.anonymous
    page.goto("/intranet/feedback/mine/")
    assert "order tablets" not in page.content()

    report = sign_in(council, on=open_page(viewport=LAPTOP))
    report.goto("/intranet/feedback/report/")
    total = report.locator("#report-total")
    assert "18" in total.inner_text()
    departments = report.locator("#report-department")
    assert departments.get_by_role("row", name="Bottling").inner_text().split()[-1] == "8"  # a group of 5+
    assert departments.get_by_role("row", name="Marketing").inner_text().split()[-1] == "7"
    assert departments.get_by_role("row", name="Sales").inner_text().split()[-1] == "hidden"  # just one
    assert departments.get_by_role("row", name="Not stated").inner_text().split()[-1] == "hidden"
    topics = report.locator("#report-topic")
    assert topics.get_by_role("row", name="Workload and hours").inner_text().split()[-1] == "8"
    assert topics.get_by_role("row", name="Tools and equipment").inner_text().split()[-1] == "hidden"
    assert fits(report)
    screenshot(report, "report-on-a-laptop")

    page.goto("/intranet/feedback/")  # the giver is no council member: no report for them
    assert page.get_by_role("link", name="Report").count() == 0


def test_the_feedback_pages_fit_a_phone_and_a_laptop(open_page, sign_in, phone, screenshot):
    council = _council_member()
    suggestion, _ = feedback_give(
        author=employee(name="Sol Named"),
        kind="suggestion",
        topic="facilities",
        text="Shade sails over the loading bay, it gets very hot in July " * 3,
    )
    suggestion_answer(suggestion=suggestion, by=council, answer="Ordered: they go up before the summer.")
    _earlier_feedback()
    laptop = sign_in(council, on=open_page(viewport=LAPTOP))
    small = sign_in(council, on=phone)
    for name, url in [
        ("suggestions", "/intranet/suggestions/"),
        ("pulse", "/intranet/pulse/"),
        ("report", "/intranet/feedback/report/"),
        ("inbox", "/intranet/feedback/all/"),
        ("form", "/intranet/feedback/"),
    ]:
        for size, pg in (("laptop", laptop), ("phone", small)):
            pg.goto(url)
            assert fits(pg), (name, size)
            screenshot(pg, f"{name}-{size}")

    small.goto("/intranet/pulse/")
    small.get_by_label("8").check()
    small.get_by_role("button", name="Send my answer").click()
    small.get_by_text("You answered the pulse for").wait_for()
    assert fits(small)
    screenshot(small, "pulse-answered-phone")
