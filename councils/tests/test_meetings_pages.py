"""The meeting pages: schedule by form (once, however often it is posted), who sees what, answers (signed in and by
emailed link), minutes, action items without an owner, carried-over items, "my action items"."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from councils.models import ActionItem, Attendee, Meeting
from councils.services.meetings import action_item_add, attendee_answer_token, meeting_mark_held, meeting_schedule
from councils.tasks import meeting_invitations_task
from councils.tests import fixtures_meetings

council = fixtures_meetings.council
people = fixtures_meetings.people

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _october():
    with time_machine.travel(datetime(2026, 10, 1, 12, 0, tzinfo=UTC)):
        yield


FORM = {
    "title": "Q4 with executives",
    "starts_at": "2026-10-20T10:00",
    "duration": "90",
    "place": "Board room",
    "agenda": "The quarter",
    "token": "a1b2c3",
}


def test_a_manager_schedules_once_even_when_the_form_is_posted_twice(client, council, people):
    client.force_login(people["manager"])
    form = client.get("/councils/customer/meetings/new/")
    assert form.status_code == 200
    body = FORM | {"executives": [people["executive"].pk]}
    first = client.post("/councils/customer/meetings/new/", body)
    second = client.post("/councils/customer/meetings/new/", body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
    page = client.get(first["Location"]).content.decode()
    assert "20 Oct 2026, 10:00" in page
    assert "America/New_York" in page
    assert "Erin Walsh" in page


def test_the_form_shows_clear_messages_and_writes_nothing(client, council, people):
    client.force_login(people["manager"])
    response = client.post("/councils/customer/meetings/new/", FORM | {"place": ""})
    assert "Give a place or a video link." in response.content.decode()
    response = client.post("/councils/customer/meetings/new/", FORM | {"executives": [people["outsider"].pk]})
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def _meeting(council, people, **extra):
    meeting, _ = meeting_schedule(
        council=council, title="Q4 with executives", starts_at=datetime(2026, 10, 20, 10, 0),
        duration=timedelta(hours=1), place="Board room", executives=[people["executive"]], by=people["manager"],
        **extra,
    )  # fmt: skip
    return meeting


def test_who_sees_the_meeting_page(client, council, people, make_user):
    meeting = _meeting(council, people)
    for who in ("manager", "chair", "member", "executive"):
        client.force_login(people[who])
        assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 200, who
        assert client.get(f"/councils/meetings/{meeting.pk}/meeting.ics").status_code == 200, who
    client.force_login(people["outsider"])
    assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/councils/customer/meetings/").status_code == 403
    assert client.get("/councils/board/meetings/").status_code == 403  # the same answer, council or not
    client.force_login(people["manager"])
    assert client.get("/councils/board/meetings/").status_code == 404
    client.force_login(people["outsider"])
    assert client.get(f"/councils/meetings/{meeting.pk}/meeting.ics").status_code == 404
    client.force_login(make_user(email="otto.exec@carlssoda.example", roles=["executive"]))
    assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 404
    assert "Q4 with executives" not in client.get("/councils/customer/meetings/").content.decode()
    client.force_login(people["member"])  # sits on the Customer council, not the Brand one
    assert client.get("/councils/brand/meetings/").status_code == 403
    assert client.get("/councils/customer/meetings/").status_code == 200
    assert client.get(f"/councils/meetings/{meeting.pk}/minutes/").status_code == 403  # not the chair


def test_the_ics_download(client, council, people):
    meeting = _meeting(council, people)
    client.force_login(people["executive"])
    response = client.get(f"/councils/meetings/{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 10, 20, 10, 0)


def test_answers_signed_in_and_by_the_emailed_link(client, council, people, django_capture_on_commit_callbacks):
    meeting = _meeting(council, people)
    client.force_login(people["executive"])
    client.post(f"/councils/meetings/{meeting.pk}/answer/", {"response": "accepted"})
    assert meeting.attendees.get(user=people["executive"]).response == Attendee.Response.ACCEPTED
    client.force_login(people["outsider"])
    assert client.post(f"/councils/meetings/{meeting.pk}/answer/", {"response": "accepted"}).status_code == 404
    client.logout()
    member = meeting.attendees.get(user=people["member"])
    url = f"/councils/meetings/answer/{attendee_answer_token(attendee=member)}/"
    assert "I cannot attend" in client.get(url).content.decode()
    assert meeting.attendees.get(pk=member.pk).response == Attendee.Response.PENDING  # a GET changes nothing
    assert "your answer is recorded (declined)" in client.post(url, {"response": "declined"}).content.decode()
    assert meeting.attendees.get(pk=member.pk).response == Attendee.Response.DECLINED
    assert client.get("/councils/meetings/answer/forged/").status_code == 404


def test_invitations_are_emailed_once_with_the_answer_link_and_the_ics(
    client, council, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(council, people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["executive"].email, people["chair"].email, people["member"].email]
    )
    invitation = next(m for m in mail.outbox if m.to == [people["executive"].email])
    assert "20 Oct 2026, 10:00 (America/New_York)" in invitation.body
    assert invitation.attachments[0][0] == "meeting.ics"
    link = re.search(r"https?://[^/\s]+(/councils/meetings/answer/[^/\s]+/)", invitation.body).group(1)
    assert meeting_invitations_task.delay(meeting.pk).get() == 0  # a second run sends nothing
    assert len(mail.outbox) == 3
    client.post(link, {"response": "accepted"})  # the executive answers from the email, signed out
    assert meeting.attendees.get(user=people["executive"]).response == Attendee.Response.ACCEPTED


def test_minutes_and_an_action_item_by_the_chair_and_an_ownerless_item_refused(client, council, people):
    meeting = _meeting(council, people)
    client.force_login(people["chair"])
    client.post(f"/councils/meetings/{meeting.pk}/minutes/", {"minutes": "We met.", "decisions": "Go."})
    meeting.refresh_from_db()
    assert meeting.minutes == "We met."
    url = f"/councils/meetings/{meeting.pk}/action-items/new/"
    response = client.post(url, {"title": "Orphan", "due_on": "2026-11-01", "token": "t1"})
    assert "An action item needs an owner: choose who will do it." in response.content.decode()
    assert not ActionItem.objects.exists()
    body = {"title": "Draft spotlight", "owner": people["member"].pk, "due_on": "2026-11-01", "token": "t2"}
    client.post(url, body)
    client.post(url, body)  # a double submit makes one item
    assert ActionItem.objects.count() == 1
    page = client.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    assert "Draft spotlight" in page
    assert "We met." in page


def test_carried_over_items_and_my_action_items(client, council, people):
    with time_machine.travel(datetime(2026, 7, 1, tzinfo=UTC)):
        q3, _ = meeting_schedule(
            council=council, title="Q3 meeting", starts_at=datetime(2026, 7, 15, 10, 0), duration=timedelta(hours=1),
            place="Board room", by=people["manager"],
        )  # fmt: skip
    with time_machine.travel(datetime(2026, 7, 16, tzinfo=UTC)):
        meeting_mark_held(meeting=q3, by=people["manager"])
        item, _ = action_item_add(
            meeting=q3, title="Survey the line", owner=people["member"], due_on=date(2026, 9, 30), by=people["manager"]
        )
    q4 = _meeting(council, people)
    client.force_login(people["member"])
    page = client.get(f"/councils/meetings/{q4.pk}/").content.decode()
    carried = re.search(r'id="carried-over">(.*?)</ul>', page, re.S).group(1)
    assert "Survey the line" in carried
    assert "carried over from" in carried
    assert "Q3 meeting" in carried
    mine = client.get("/councils/action-items/mine/").content.decode()
    assert "Survey the line" in mine
    client.post(f"/councils/action-items/{item.pk}/status/", {"status": "done", "next": "mine"})
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE
    assert "Survey the line" not in client.get(f"/councils/meetings/{q4.pk}/").content.decode()


def test_the_meeting_page_costs_the_same_queries_with_many_items(client, council, people):
    meeting = _meeting(council, people)
    client.force_login(people["chair"])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 200
        return len(queries)

    action_item_add(
        meeting=meeting, title="One", owner=people["member"], due_on=date(2026, 11, 1), by=people["manager"]
    )
    count()  # the first request also loads the session's roles into the cache
    few = count()
    for n in range(30):
        action_item_add(
            meeting=meeting, title=f"Item {n}", owner=people["member"], due_on=date(2026, 11, 2), by=people["manager"]
        )
    assert count() == few


def test_moving_a_meeting_by_its_form_updates_the_calendar_and_tells_attendees(
    client, council, people, django_capture_on_commit_callbacks
):
    meeting = _meeting(council, people)
    client.force_login(people["member"])
    assert client.get(f"/councils/meetings/{meeting.pk}/edit/").status_code == 403
    client.force_login(people["manager"])
    form = client.get(f"/councils/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="2026-10-20T10:00"' in form  # the organisation's wall clock, not UTC
    mail.outbox.clear()
    body = FORM | {"starts_at": "2026-11-03T09:30", "duration": "60", "executives": [people["executive"].pk]}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/councils/meetings/{meeting.pk}/edit/", body).status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2026, 11, 3, 14, 30, tzinfo=UTC)  # EST after the change, UTC-5
    assert meeting.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["executive"].email, people["chair"].email, people["member"].email]
    )
    assert "has moved to 3 Nov 2026, 09:30" in mail.outbox[0].subject + mail.outbox[0].body
    event = Calendar.from_ical(client.get(f"/councils/meetings/{meeting.pk}/meeting.ics").content).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    client.post(f"/councils/meetings/{meeting.pk}/cancel/")
    event = Calendar.from_ical(client.get(f"/councils/meetings/{meeting.pk}/meeting.ics").content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
