"""Meetings: scheduling in the organisation's zone, attendees, edits, answers, minutes, action items, carry-over."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import ActionItem, Attendee, Meeting
from councils.selectors.meetings import carried_over_items, meetings_visible_to
from councils.services.meetings import (
    action_item_add,
    action_item_set_status,
    attendee_answer_token,
    attendee_from_token,
    attendee_respond,
    meeting_cancel,
    meeting_mark_held,
    meeting_record_minutes,
    meeting_schedule,
    meeting_update,
)
from councils.tests import fixtures_meetings

council = fixtures_meetings.council
people = fixtures_meetings.people

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOW = datetime(2026, 10, 1, 14, 0, tzinfo=UTC)


def schedule(council, people, **overrides):
    fields = {
        "council": council,
        "title": "Q4 meeting with executives",
        "starts_at": datetime(2026, 10, 20, 10, 0),  # 10:00 in New York
        "duration": timedelta(minutes=90),
        "place": "Board room, 3rd floor",
        "agenda": "1. The quarter\n2. Spotlights",
        "executives": [people["executive"]],
        "by": people["manager"],
    }
    return meeting_schedule(**(fields | overrides))


@time_machine.travel(NOW, tick=False)
def test_schedule_reads_the_time_in_the_organisations_zone_and_invites_members_and_executives(council, people):
    meeting, created = schedule(council, people)
    assert created
    assert meeting.starts_at == datetime(2026, 10, 20, 14, 0, tzinfo=UTC)  # EDT is UTC-4
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    roles = dict(meeting.attendees.values_list("user__email", "role"))
    assert roles == {
        people["chair"].email: Attendee.Role.MEMBER,
        people["member"].email: Attendee.Role.MEMBER,
        people["executive"].email: Attendee.Role.EXECUTIVE,
    }
    assert meeting.attendees.filter(response=Attendee.Response.PENDING).count() == 3


@time_machine.travel(NOW, tick=False)
def test_schedule_is_idempotent_on_its_key(council, people):
    first, created = schedule(council, people, idempotency_key="api:key:1:abc")
    again, created_again = schedule(council, people, idempotency_key="api:key:1:abc")
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Meeting.objects.count() == 1
    assert Attendee.objects.count() == 3


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"place": "", "video_url": ""}, "place", "Give a place or a video link."),
        ({"duration": None}, "ends_at", "Give the meeting's end or its duration."),
        (
            {"ends_at": datetime(2026, 10, 20, 9, 0), "duration": None},
            "ends_at",
            "The meeting must end after it starts.",
        ),
        ({"title": "  "}, "title", "This field cannot be blank."),
        ({"starts_at": datetime(2027, 3, 14, 2, 30)}, "starts_at", "does not exist in America/New_York"),
    ],
)
def test_bad_meetings_are_refused_clearly_and_write_nothing(council, people, overrides, field, message):
    with pytest.raises(ValidationError) as raised:
        schedule(council, people, **overrides)
    assert message in " ".join(raised.value.message_dict[field])
    assert not Meeting.objects.exists()
    assert not Attendee.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_executives_are_invited_as_executives(council, people):
    with pytest.raises(ValidationError) as raised:
        schedule(council, people, executives=[people["outsider"]])
    assert "Only executives can be invited as executives: Eli Novak." in raised.value.message_dict["executives"]
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_managers_schedule(council, people):
    for who in ("member", "chair", "executive", "outsider"):
        with pytest.raises(PermissionDenied):
            schedule(council, people, by=people[who])
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_moving_a_meeting_bumps_the_sequence_rearms_reminders_and_tells_attendees(council, people):
    meeting, _ = schedule(council, people)
    Meeting.objects.filter(pk=meeting.pk).update(week_reminder_sent_at=NOW)
    mail.outbox.clear()
    same = meeting_update(
        meeting=meeting, by=people["manager"], title="Renamed", starts_at=datetime(2026, 10, 20, 10, 0),
        duration=timedelta(minutes=90), place="Board room, 3rd floor",
    )  # fmt: skip
    assert same.sequence == 0
    assert same.title == "Renamed"
    moved = meeting_update(
        meeting=meeting, by=people["manager"], title="Renamed", starts_at=datetime(2026, 10, 21, 15, 30),
        duration=timedelta(minutes=60), place="Board room, 3rd floor",
    )  # fmt: skip
    assert moved.sequence == 1
    assert moved.week_reminder_sent_at is None
    assert moved.starts_at == datetime(2026, 10, 21, 19, 30, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_editing_executives_sets_the_invited_executives(council, people, make_user):
    meeting, _ = schedule(council, people)
    other = make_user(email="otto.exec@carlssoda.example", name="Otto Reyes", roles=["executive"])
    meeting_update(
        meeting=meeting, by=people["manager"], title=meeting.title, starts_at=datetime(2026, 10, 20, 10, 0),
        duration=timedelta(minutes=90), place=meeting.place, executives=[other],
    )  # fmt: skip
    executives = set(meeting.attendees.filter(role=Attendee.Role.EXECUTIVE).values_list("user__email", flat=True))
    assert executives == {"otto.exec@carlssoda.example"}


@time_machine.travel(NOW, tick=False)
def test_cancel_bumps_the_sequence_once_and_refuses_edits(council, people):
    meeting, _ = schedule(council, people)
    cancelled = meeting_cancel(meeting=meeting, by=people["manager"])
    again = meeting_cancel(meeting=meeting, by=people["manager"])
    assert cancelled.status == again.status == Meeting.Status.CANCELLED
    assert again.sequence == 1
    with pytest.raises(ValidationError, match="cancelled: it can no longer be edited"):
        meeting_update(
            meeting=meeting, by=people["manager"], title="x", starts_at=datetime(2026, 10, 20, 10, 0),
            duration=timedelta(minutes=30), place="Room",
        )  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_attendees_answer_signed_in_or_by_link(council, people):
    meeting, _ = schedule(council, people)
    executive = meeting.attendees.get(user=people["executive"])
    token = attendee_answer_token(attendee=executive)
    found = attendee_from_token(token=token)
    assert found == executive
    assert attendee_from_token(token=token[:-2] + "xx") is None
    assert attendee_respond(attendee=found, response="accepted").response == Attendee.Response.ACCEPTED
    answered_at = Attendee.objects.get(pk=executive.pk).responded_at
    assert attendee_respond(attendee=found, response="accepted").responded_at == answered_at  # no-op twice
    assert attendee_respond(attendee=found, response="declined").response == Attendee.Response.DECLINED
    with pytest.raises(ValidationError):
        attendee_respond(attendee=found, response="maybe")
    meeting_cancel(meeting=meeting, by=people["manager"])
    with pytest.raises(ValidationError, match="no longer open for answers"):
        attendee_respond(attendee=found, response="accepted")


@time_machine.travel(NOW, tick=False)
def test_minutes_and_action_items_by_managers_and_the_chair_only(council, people):
    meeting, _ = schedule(council, people)
    meeting_record_minutes(meeting=meeting, by=people["chair"], minutes="We met.", decisions="Publish spotlights.")
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.decisions) == ("We met.", "Publish spotlights.")
    for who in ("member", "executive", "outsider"):
        with pytest.raises(PermissionDenied):
            meeting_record_minutes(meeting=meeting, by=people[who], minutes="No.", decisions="")
        with pytest.raises(PermissionDenied):
            action_item_add(meeting=meeting, title="x", owner=people[who], due_on=date(2026, 11, 1), by=people[who])
    item, created = action_item_add(
        meeting=meeting, title="Draft the spotlight", owner=people["member"], due_on=date(2026, 11, 1),
        by=people["chair"],
    )  # fmt: skip
    assert created
    assert item.status == ActionItem.Status.OPEN
    assert item.closed_at is None


@time_machine.travel(NOW, tick=False)
def test_an_action_item_without_an_owner_is_refused_clearly(council, people):
    meeting, _ = schedule(council, people)
    with pytest.raises(ValidationError) as raised:
        action_item_add(meeting=meeting, title="Orphan", owner=None, due_on=date(2026, 11, 1), by=people["manager"])
    assert raised.value.message_dict["owner"] == ["An action item needs an owner: choose who will do it."]
    assert not ActionItem.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_action_items_are_idempotent_on_their_key(council, people):
    meeting, _ = schedule(council, people)
    kwargs = {"meeting": meeting, "title": "Once", "owner": people["member"], "due_on": date(2026, 11, 1)}
    first, _ = action_item_add(**kwargs, by=people["manager"], idempotency_key="form:1:t")
    again, created = action_item_add(**kwargs, by=people["manager"], idempotency_key="form:1:t")
    assert again.pk == first.pk
    assert not created
    assert ActionItem.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_closing_an_item_stamps_closed_at_and_reopening_clears_it(council, people):
    meeting, _ = schedule(council, people)
    item, _ = action_item_add(
        meeting=meeting, title="Ship", owner=people["member"], due_on=date(2026, 11, 1), by=people["manager"]
    )
    done = action_item_set_status(item=item, status="done", by=people["member"])  # the owner
    assert done.closed_at == NOW
    reopened = action_item_set_status(item=item, status="open", by=people["chair"])
    assert reopened.closed_at is None
    with pytest.raises(PermissionDenied):
        action_item_set_status(item=item, status="dropped", by=people["executive"])
    with pytest.raises(ValidationError):
        action_item_set_status(item=item, status="finished", by=people["manager"])


def test_open_items_carry_over_to_the_next_meeting(council, people):
    with time_machine.travel(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), tick=False):
        q3, _ = schedule(council, people, title="Q3 meeting", starts_at=datetime(2026, 7, 15, 10, 0))
    with time_machine.travel(datetime(2026, 7, 16, 12, 0, tzinfo=UTC), tick=False):
        meeting_mark_held(meeting=q3, by=people["chair"])
        kept, _ = action_item_add(
            meeting=q3, title="Still open", owner=people["member"], due_on=date(2026, 9, 1), by=people["manager"]
        )
        finished, _ = action_item_add(
            meeting=q3, title="Finished", owner=people["member"], due_on=date(2026, 8, 1), by=people["manager"]
        )
        action_item_set_status(item=finished, status="done", by=people["member"])
        q4, _ = schedule(council, people, title="Q4 meeting", starts_at=datetime(2026, 10, 20, 10, 0))
    assert list(carried_over_items(meeting=q4)) == [kept]
    assert list(carried_over_items(meeting=q3)) == []


@time_machine.travel(NOW, tick=False)
def test_mark_held_waits_for_the_meeting(council, people):
    meeting, _ = schedule(council, people)
    with pytest.raises(ValidationError, match="has not started yet"):
        meeting_mark_held(meeting=meeting, by=people["manager"])


@time_machine.travel(NOW, tick=False)
def test_who_sees_which_meeting(council, people, make_user):
    meeting, _ = schedule(council, people)
    other_exec = make_user(email="otto.exec@carlssoda.example", roles=["executive"])
    for who in ("manager", "chair", "member", "executive"):
        assert meeting in meetings_visible_to(user=people[who]), who
    assert meeting not in meetings_visible_to(user=people["outsider"])
    assert meeting not in meetings_visible_to(user=other_exec)
