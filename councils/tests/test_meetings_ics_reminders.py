"""The meeting's .ics (RFC 5545, parsed back with icalendar) and the week/day reminders, sent once."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from icalendar import Calendar

from councils.models import Attendee, Meeting
from councils.selectors.meetings import meeting_ics
from councils.services.meetings import attendee_respond, meeting_cancel, meeting_reminders_send, meeting_schedule
from councils.tasks import meeting_reminders_task
from councils.tests import fixtures_meetings

council = fixtures_meetings.council
people = fixtures_meetings.people

pytestmark = [pytest.mark.postgres]
NEW_YORK = ZoneInfo("America/New_York")


def _schedule(council, people, starts_at, **extra):
    meeting, _ = meeting_schedule(
        council=council, title="Quarterly meeting", starts_at=starts_at, duration=timedelta(hours=2),
        place="Board room", video_url="https://meet.example/q4", agenda="Spotlights; the gap",
        executives=[people["executive"]], by=people["manager"], **extra,
    )  # fmt: skip
    return meeting


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
def test_the_ics_parses_back_with_its_uid_sequence_zone_and_people(council, people):
    meeting = _schedule(council, people, datetime(2026, 10, 20, 10, 0))
    calendar, event = _event(meeting_ics(meeting=meeting))
    assert str(event["UID"]) == f"{meeting.uid}@rapport"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert start.replace(tzinfo=None) == datetime(2026, 10, 20, 10, 0)
    assert event.decoded("DTEND") - start == timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(event["SUMMARY"]) == "Quarterly meeting (Customer Advisory Council)"
    assert str(event["LOCATION"]) == "Board room"
    assert str(event["URL"]) == "https://meet.example/q4"
    assert "Spotlights; the gap" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:ana.insights@carlssoda.example"
    attendees = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert attendees == {
        "mailto:erin.exec@carlssoda.example": "NEEDS-ACTION",
        "mailto:cara.chair@carlssoda.example": "NEEDS-ACTION",
        "mailto:milo.member@carlssoda.example": "NEEDS-ACTION",
    }


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
def test_the_local_time_is_right_on_both_sides_of_a_dst_change(council, people):
    """New York leaves daylight time on 1 Nov 2026: 10:00 is 14:00 UTC before, 15:00 UTC after."""
    before = _schedule(council, people, datetime(2026, 10, 29, 10, 0))
    after = _schedule(council, people, datetime(2026, 11, 5, 10, 0))
    assert before.starts_at == datetime(2026, 10, 29, 14, 0, tzinfo=UTC)
    assert after.starts_at == datetime(2026, 11, 5, 15, 0, tzinfo=UTC)
    for meeting in (before, after):
        calendar, event = _event(meeting_ics(meeting=meeting))
        start = event.decoded("DTSTART")
        assert start.replace(tzinfo=None).time().hour == 10  # the wall clock, in its TZID
        assert start.astimezone(UTC) == meeting.starts_at  # and the same instant
    # The VTIMEZONE carries both offsets, so a calendar resolves either side on its own.
    offsets = {c.decoded("TZOFFSETTO") for c in calendar.walk() if c.name in ("STANDARD", "DAYLIGHT")}
    assert {timedelta(hours=-4), timedelta(hours=-5)} <= offsets


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
def test_a_cancelled_meeting_says_so_with_a_new_sequence(council, people):
    meeting = _schedule(council, people, datetime(2026, 10, 20, 10, 0))
    meeting_cancel(meeting=meeting, by=people["manager"])
    _, event = _event(meeting_ics(meeting=Meeting.objects.get(pk=meeting.pk)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


@pytest.mark.django_db
def test_reminders_go_a_week_and_a_day_before_once_each_with_the_ics_to_those_not_declining(council, people):
    start_utc = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False):
        meeting = _schedule(council, people, datetime(2026, 10, 20, 10, 0))
        attendee_respond(attendee=meeting.attendees.get(user=people["member"]), response="declined")
        mail.outbox.clear()
        assert meeting_reminders_task.delay().get() == 0  # nothing due 19 days ahead
    with time_machine.travel(start_utc - timedelta(days=6, hours=23), tick=False):
        assert meeting_reminders_task.delay().get() == 2
        assert meeting_reminders_task.delay().get() == 0  # a second run sends nothing
    week = list(mail.outbox)
    assert sorted(m.to[0] for m in week) == ["cara.chair@carlssoda.example", "erin.exec@carlssoda.example"]
    assert all("in a week" in m.subject for m in week)
    name, content, mimetype = week[0].attachments[0]
    assert name == "meeting.ics"
    assert mimetype.startswith("text/calendar")
    _event(content.encode() if isinstance(content, str) else content)
    assert "/councils/meetings/answer/" in week[0].body
    mail.outbox.clear()
    with time_machine.travel(start_utc - timedelta(hours=20), tick=False):
        assert meeting_reminders_send() == 2
        assert meeting_reminders_send() == 0
    assert all("tomorrow" in m.subject for m in mail.outbox)
    with time_machine.travel(start_utc + timedelta(minutes=1), tick=False):
        assert meeting_reminders_send() == 0  # started: nothing more
    meeting.refresh_from_db()
    assert meeting.week_reminder_sent_at is not None
    assert meeting.day_reminder_sent_at is not None


@pytest.mark.django_db
def test_a_cancelled_meeting_gets_no_reminder(council, people):
    with time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False):
        meeting = _schedule(council, people, datetime(2026, 10, 5, 10, 0))
        meeting_cancel(meeting=meeting, by=people["manager"])
        mail.outbox.clear()
        assert meeting_reminders_send() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # no serialized_rollback: its flush would drop the permissions
def test_two_workers_at_once_send_each_reminder_once(council, people):
    with time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC), tick=False):
        for day in (10, 11, 12):
            _schedule(council, people, datetime(2026, 10, 7, day, 0))
    mail.outbox.clear()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            with time_machine.travel(datetime(2026, 10, 2, tzinfo=UTC), tick=False):
                results.append(meeting_reminders_send())
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 9  # three meetings × three attendees, each once
    assert len(mail.outbox) == 9
    sent = sorted((m.to[0], m.attachments[0][1]) for m in mail.outbox)
    assert len(set(sent)) == 9
    assert Meeting.objects.filter(week_reminder_sent_at__isnull=True).count() == 0
    assert Attendee.objects.count() == 9
