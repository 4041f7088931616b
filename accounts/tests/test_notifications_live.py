"""The unread count that stays current (htmx asks for the badge again), and the daily email digest:
opted in on the notifications page, sent by a Celery task once a day at most, with absolute links."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import Notification, NotificationDigest
from accounts.services import notification_digests_send, notify
from accounts.tasks import notification_digests_task

pytestmark = pytest.mark.django_db

BADGE = "/notifications/badge/"


@pytest.fixture
def eli(make_user):
    return make_user("eli.employee")


def digest_on(user):
    type(user).objects.filter(pk=user.pk).update(notification_digest=True)


def run_digest_task() -> int:
    return notification_digests_task.apply().get()


# --- The badge -------------------------------------------------------------------


def test_the_badge_fragment_shows_a_new_notification(client, eli):
    client.force_login(eli)
    before = client.get(BADGE)
    assert before.status_code == 200
    assert before.content.decode().strip() == "Notifications"

    notify(users=[eli], text="Your idea has a new vote", url="/intranet/ideas/1/")

    after = client.get(BADGE).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in after
    assert "<html" not in after  # only the link's text, for htmx to swap in
    client.post("/notifications/")  # mark all read
    assert "unread" not in client.get(BADGE).content.decode()


def test_the_badge_is_never_cached_by_the_browser(client, eli):
    client.force_login(eli)
    assert "no-cache" in client.get(BADGE)["Cache-Control"]


def test_a_visitor_gets_no_badge(client):
    response = client.get(BADGE)
    assert response.status_code == 401
    assert response.content == b""


def test_pages_poll_the_badge_for_signed_in_people_only(client, eli, settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 45
    assert 'hx-get="/notifications/badge/"' not in client.get("/accounts/login/").content.decode()
    client.force_login(eli)
    html = client.get("/notifications/").content.decode()
    assert 'hx-get="/notifications/badge/"' in html
    assert 'hx-trigger="every 45s"' in html


# --- Opting in -------------------------------------------------------------------------


def test_the_digest_is_opted_in_and_out_on_the_notifications_page(client, eli):
    client.force_login(eli)
    assert 'name="digest" id="digest">' in client.get("/notifications/").content.decode()  # unticked

    response = client.post("/notifications/digest/", {"digest": "on"}, follow=True)
    eli.refresh_from_db()
    assert eli.notification_digest is True
    assert "You will get a daily email" in response.content.decode()
    assert 'name="digest" id="digest" checked>' in response.content.decode()

    client.post("/notifications/digest/", {})
    eli.refresh_from_db()
    assert eli.notification_digest is False


def test_a_visitor_cannot_opt_in(client):
    response = client.post("/notifications/digest/", {"digest": "on"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The digest ---------------------------------------------------------------------------


def test_the_digest_is_sent_once_with_absolute_links(eli, mailoutbox, settings):
    settings.SITE_URL = "https://rapport.carlssoda.example"
    digest_on(eli)
    notify(users=[eli], text="Idea “Ginger cans” is now planned.", url="/intranet/ideas/4/")
    notify(users=[eli], text="Nora mentioned you in a post", url="/intranet/")

    assert run_digest_task() == 1

    (mail,) = mailoutbox
    assert mail.to == [eli.email]
    assert mail.subject.startswith("[Rapport] 2 unread notifications of ")
    assert "Idea “Ginger cans” is now planned.\n  https://rapport.carlssoda.example/intranet/ideas/4/" in mail.body
    assert "https://rapport.carlssoda.example/intranet/\n" in mail.body
    assert "https://rapport.carlssoda.example/notifications/" in mail.body
    assert not Notification.objects.filter(user=eli, emailed_at__isnull=True).exists()
    assert NotificationDigest.objects.get(user=eli).notification_count == 2


def test_a_second_run_the_same_day_sends_nothing_even_with_news(eli, mailoutbox):
    digest_on(eli)
    notify(users=[eli], text="First news", url="/")
    assert run_digest_task() == 1
    notify(users=[eli], text="Later news the same day", url="/")

    assert run_digest_task() == 0
    assert len(mailoutbox) == 1

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert run_digest_task() == 1  # the next day, the news it had not sent
    assert "Later news the same day" in mailoutbox[1].body
    assert "First news" not in mailoutbox[1].body


def test_nobody_who_did_not_opt_in_or_has_nothing_new_gets_one(eli, make_user, mailoutbox):
    not_opted = make_user("ana.insights")
    notify(users=[not_opted], text="Not asked for", url="/")
    read_all, emailed_already, old_news = (
        make_user(email=f"{handle}@carlssoda.example", name=handle.title()) for handle in ("nora", "sam", "theo")
    )
    for user in (eli, read_all, emailed_already, old_news):
        digest_on(user)
    notify(users=[read_all], text="Read already", url="/")
    Notification.objects.filter(user=read_all).update(read_at=timezone.now())
    notify(users=[emailed_already], text="Emailed on its own", url="/")
    Notification.objects.filter(user=emailed_already).update(emailed_at=timezone.now())
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        notify(users=[old_news], text="Two days old", url="/")

    assert run_digest_task() == 0
    assert mailoutbox == []
    assert not NotificationDigest.objects.exists()


def test_an_inactive_user_gets_none(eli, mailoutbox):
    digest_on(eli)
    notify(users=[eli], text="News", url="/")
    type(eli).objects.filter(pk=eli.pk).update(is_active=False)
    assert run_digest_task() == 0
    assert mailoutbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(eli, mailoutbox):
    digest_on(eli)
    notify(users=[eli], text="Raced news", url="/")
    start = threading.Barrier(2)
    sent = []

    def run():
        start.wait()
        try:
            sent.append(notification_digests_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) == [0, 1]
    assert len(mailoutbox) == 1
    assert NotificationDigest.objects.count() == 1
