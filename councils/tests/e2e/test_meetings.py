"""In Chromium: a manager schedules a quarterly meeting with an executive, the executive accepts, the chair's
minutes and an action item are recorded, the .ics downloads and parses; and a spotlight is written, consented
by the employee, read signed out at /spotlights/, then withdrawn and gone. Pages fit 390 px and 1366 px."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from PIL import Image

from councils.models import ActionItem, Attendee, Council, Meeting, Spotlight
from councils.tests.fixtures_meetings import councils_ensure, seat

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def test_a_quarterly_meeting_with_an_executive(open_page, sign_in, page, phone, screenshot, make_user, tmp_path):
    councils_ensure()
    council = Council.objects.get(kind="customer")
    manager = make_user("ana.insights")
    executive = make_user("erin.exec")
    member = make_user(email="milo.member@carlssoda.example", name="Milo Brandt", roles=["employee", "council_member"])
    seat(member, council)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    # The manager schedules it, inviting the executive.
    page.set_viewport_size(LAPTOP)
    sign_in(manager)
    page.goto("/councils/customer/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    assert fits(page)
    screenshot(page, "schedule-form-on-a-laptop")
    page.get_by_label("Title").fill("Q1 meeting with executives")
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Place").fill("Carl's Soda HQ, board room")
    page.get_by_label("Agenda").fill("1. The quarter\n2. The conversation gap")
    page.get_by_label("Erin Walsh").check()
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url(re.compile(r"/councils/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    assert (
        page.locator("#meeting-when")
        .inner_text()
        .startswith(timezone.localtime(meeting.starts_at, ZoneInfo("America/New_York")).strftime("%-d %b %Y, 10:00"))
    )
    assert "Erin Walsh" in page.locator("#attendees").inner_text()

    page.goto("/councils/customer/meetings/")
    assert "Q1 meeting with executives" in page.locator("main").inner_text()
    screenshot(page, "meetings-list-on-a-laptop")

    # The executive accepts, on a phone.
    exec_page = sign_in(executive, on=phone)
    exec_page.goto("/councils/meetings/mine/")
    assert fits(exec_page)
    screenshot(exec_page, "my-meetings-on-a-phone")
    exec_page.get_by_role("link", name="Q1 meeting with executives").click()
    exec_page.get_by_role("button", name="Accept").click()
    assert "Your answer is recorded: accepted." in exec_page.content()
    assert meeting.attendees.get(user=executive).response == Attendee.Response.ACCEPTED
    assert fits(exec_page)
    screenshot(exec_page, "meeting-on-a-phone")

    # Minutes, decisions and an action item.
    page.goto(f"/councils/meetings/{meeting.pk}/")
    page.get_by_role("link", name="edit the minutes").click()
    page.get_by_label("Minutes").fill("Erin joined. The council showed what customers said.")
    page.get_by_label("Decisions").fill("Pilot the resealable can.")
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_role("link", name="add an action item").click()
    page.get_by_role("button", name="Add the action item").click()  # no owner: a clear message
    assert "This field is required." in page.content() or "needs an owner" in page.content()
    page.get_by_label("Title").fill("Collect ten customer stories")
    page.get_by_label("Owner").select_option(label="Milo Brandt")
    page.get_by_label("Due").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Add the action item").click()
    page.wait_for_url(f"**/councils/meetings/{meeting.pk}/")
    assert "Collect ten customer stories" in page.locator("#action-items").inner_text()
    assert "Pilot the resealable can." in page.locator("#decisions").inner_text()
    assert ActionItem.objects.get().owner == member
    assert fits(page)
    screenshot(page, "meeting-on-a-laptop")

    # The .ics downloads and parses, at 10:00 in New York.
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    path = tmp_path / "meeting.ics"
    download.value.save_as(path)
    event = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.fromisoformat(f"{day}T10:00")
    assert str(event["UID"]) == f"{meeting.uid}@rapport"
    partstats = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert partstats["mailto:erin.exec@carlssoda.example"] == "ACCEPTED"


def _portrait(path):
    image = Image.new("RGB", (1200, 1200), (214, 40, 57))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_a_spotlight_is_consented_published_and_withdrawn(
    open_page, sign_in, page, phone, screenshot, make_user, tmp_path
):
    writer = make_user(email="wren.writer@carlssoda.example", name="Wren Avila", roles=["employee", "council_member"])
    writer.user_permissions.add(Permission.objects.get(codename="publish_spotlights"))
    employee = make_user(email="mei.design@carlssoda.example", name="Mei Tanaka", roles=["employee"])

    page.set_viewport_size(LAPTOP)
    sign_in(writer)
    page.goto("/councils/spotlights/manage/")
    page.get_by_role("link", name="Write a spotlight").click()
    page.get_by_label("Employee").select_option(label="Mei Tanaka")
    page.get_by_label("Title").fill("Mei Tanaka designs the can you hold")
    page.get_by_label("Quote").fill("A can should open with cold fingers.")
    page.get_by_label("Interview").fill("**What do you do?**\n\nI design our cans.")
    page.get_by_label(re.compile("^Photo")).set_input_files(str(_portrait(tmp_path / "mei.jpg")))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/councils/spotlights/\d+/edit/$"))
    spotlight = Spotlight.objects.get()
    page.get_by_role("button", name="Publish").click()
    assert "has not consented to this version yet" in page.content()
    mail.outbox.clear()
    page.get_by_role("button", name="Ask for consent").click()
    assert "is asked for consent" in page.content()
    [email] = [m for m in mail.outbox if employee.email in m.to]
    link = re.search(r"https?://[^/\s]+(/councils/spotlights/\d+/consent/)", email.body).group(1)  # SITE_URL's host

    # The employee opens the emailed link, signed in, and sees exactly what will be published.
    mine = sign_in(employee, on=phone)
    mine.goto(link)
    assert "A can should open with cold fingers." in mine.content()
    assert fits(mine)
    screenshot(mine, "consent-on-a-phone")
    mine.get_by_role("button", name="I consent", exact=True).click()
    assert "your consent is recorded" in mine.content()

    page.reload()
    page.get_by_role("button", name="Publish").click()
    assert "Published: customers can read it" in page.content()

    # Signed out, customers read it.
    visitor = open_page(viewport=LAPTOP)
    visitor.goto("/spotlights/")
    visitor.get_by_role("link", name="Mei Tanaka designs the can you hold").click()
    assert "A can should open with cold fingers." in visitor.content()
    assert visitor.locator("img").first.evaluate("img => img.naturalWidth") > 0
    assert fits(visitor)
    screenshot(visitor, "spotlight-on-a-laptop")
    visitor_phone = open_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    visitor_phone.goto(f"/spotlights/{spotlight.slug}/")
    assert fits(visitor_phone)
    screenshot(visitor_phone, "spotlight-on-a-phone")

    # The employee withdraws consent: gone at once.
    mine.goto("/councils/spotlights/mine/")
    mine.get_by_role("button", name="Withdraw my consent").click()
    assert "no longer published" in mine.content()
    response = visitor.goto(f"/spotlights/{spotlight.slug}/")
    assert response.status == 404
    visitor.goto("/spotlights/")
    assert "Mei Tanaka designs" not in visitor.content()
    assert Spotlight.objects.get().status == Spotlight.Status.UNPUBLISHED
