"""The overdue email: once per mention, to its assignee or else the channel's owner, when it passes its due time;
never for history that arrived already overdue. Run through the real beat task, with locmem email."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from core.links import absolute_url
from insights.models import Channel, Mention
from insights.services.ingest import mentions_ingest
from insights.services.triage import mention_respond, mentions_assign, mentions_no_action
from insights.tasks import overdue_notices_task
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(email="olu.owner@rapport.example", name="Olu Owner", roles=[Role.INSIGHTS_STAFF])


@pytest.fixture
def twitter(owner):
    channel = Channel.objects.get(slug="twitter")
    channel.response_target_minutes, channel.owner = 60, owner
    channel.save()
    return channel


def ingest(n, minutes_ago, **fields):
    published = timezone.now() - timedelta(minutes=minutes_ago)
    result = mentions_ingest([item(n, published_at=published.isoformat(), **fields)])
    return Mention.objects.get(pk=result.created_ids[0])


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the beat task as a worker would, the emails it queues included."""

    def go():
        with django_capture_on_commit_callbacks(execute=True):
            return overdue_notices_task.delay().get()

    return go


def test_the_assignee_gets_one_email_with_a_link_when_it_becomes_overdue(twitter, make_user, run, time_machine):
    sam = make_user(email="sam@rapport.example", name="Sam Agent", roles=[Role.INSIGHTS_STAFF])
    mention = ingest(1, minutes_ago=10, text="Carl's Soda, where is my refund?")
    mentions_assign(mentions=[mention.pk], assignee=sam, by=None)
    assert run() == 0  # not due for 50 minutes
    assert mail.outbox == []

    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    assert run() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@rapport.example"]
    assert "X / Twitter" in email.subject
    assert "where is my refund?" in email.body
    assert absolute_url(f"/insights/mentions/{mention.pk}/") in email.body
    assert "assigned to you" in email.body
    mention.refresh_from_db()
    assert mention.overdue_notified_at is not None

    time_machine.move_to(timezone.now() + timedelta(minutes=30))
    assert run() == 0
    assert len(mail.outbox) == 1  # once


def test_the_link_is_absolute(twitter, run, time_machine, settings):
    settings.SITE_URL = "https://rapport.carlssoda.example"
    mention = ingest(1, minutes_ago=10)
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    run()
    assert f"https://rapport.carlssoda.example/insights/mentions/{mention.pk}/" in mail.outbox[0].body


def test_with_nobody_assigned_the_channel_s_owner_is_told(twitter, run, time_machine):
    ingest(1, minutes_ago=10)
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    run()
    assert [m.to for m in mail.outbox] == [["olu.owner@rapport.example"]]
    assert "you own the X / Twitter channel" in mail.outbox[0].body


def test_with_nobody_to_tell_the_log_says_so_and_it_is_not_retried(twitter, run, time_machine, caplog):
    Channel.objects.filter(pk=twitter.pk).update(owner=None)
    mention = ingest(1, minutes_ago=10)
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    with caplog.at_level(logging.INFO, logger="insights.services.responses"):
        assert run() == 1
    assert mail.outbox == []
    assert f"Mention {mention.pk} on twitter is overdue, but nobody is assigned" in caplog.text
    mention.refresh_from_db()
    assert mention.overdue_notified_at is not None
    assert run() == 0


def test_history_that_arrived_overdue_is_not_emailed_but_is_in_the_queue(twitter, run, client, login):
    old = ingest(1, minutes_ago=180, text="An imported complaint about Carl's Soda")
    assert old.received_at > old.response_due_at
    assert run() == 0
    assert mail.outbox == []
    login(client, "ana.insights")
    assert "An imported complaint" in client.get("/insights/overdue/").content.decode()


def test_answered_or_no_action_mentions_are_not_emailed(twitter, run, time_machine):
    answered, dismissed = ingest(1, minutes_ago=10), ingest(2, minutes_ago=10)
    mention_respond(mention=answered, by=None)
    mentions_no_action(mentions=[dismissed.pk], by=None)
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    assert run() == 0
    assert mail.outbox == []


def test_an_answer_between_the_claim_and_the_send_sends_nothing(
    twitter, time_machine, django_capture_on_commit_callbacks
):
    mention = ingest(1, minutes_ago=10)
    time_machine.move_to(timezone.now() + timedelta(minutes=51))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        overdue_notices_task.delay().get()
    mention_respond(mention=mention, by=None)
    for callback in queued:
        callback()
    assert mail.outbox == []


def test_a_mention_overdue_for_longer_than_the_window_is_not_emailed(twitter, run, time_machine, settings):
    """A worker down for days, or a target lowered on old mentions: the queue shows them; no flood of mail."""
    settings.INSIGHTS_OVERDUE_EMAIL_WINDOW_HOURS = 24
    ingest(1, minutes_ago=10)
    time_machine.move_to(timezone.now() + timedelta(hours=26))
    assert run() == 0
    assert mail.outbox == []


def test_the_beat_runs_it_every_minute(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "insights.tasks.overdue_notices_task"
    )
    assert str(entry["schedule"]) == str(settings.CELERY_BEAT_SCHEDULE["heartbeat"]["schedule"])
