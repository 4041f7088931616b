"""In-app notifications: the page, the unread count in the navigation, marking read, and their emails."""

import pytest

from accounts.models import Notification
from accounts.services import notifications_email_send, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def eli(make_user):
    return make_user("eli.employee")


def test_the_navigation_counts_unread_notifications(client, eli):
    client.force_login(eli)
    assert "unread</span>" not in client.get("/notifications/").content.decode()
    notify(users=[eli, eli], text="A finding for Marketing: slow replies", url="/insights/findings/1/")
    html = client.get("/notifications/").content.decode()
    assert Notification.objects.count() == 1  # listed twice, told once
    assert '1<span class="visually-hidden"> unread</span>' in html
    assert "A finding for Marketing: slow replies" in html


def test_marking_one_read_leaves_the_others(client, eli):
    first, second = (notify(users=[eli], text=f"Note {n}", url="/")[0] for n in (1, 2))
    client.force_login(eli)
    assert client.post("/notifications/", {"id": first.pk}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert '1<span class="visually-hidden"> unread</span>' in client.get("/notifications/").content.decode()


def test_mark_all_read_and_nobody_marks_anothers(client, eli, make_user):
    other = make_user("ana.insights")
    theirs = notify(users=[other], text="Theirs", url="/")[0]
    notify(users=[eli], text="Mine", url="/")
    client.force_login(eli)
    client.post("/notifications/", {"id": theirs.pk})
    client.post("/notifications/", {"id": "not-a-number"})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/notifications/")
    assert not Notification.objects.filter(user=eli, read_at__isnull=True).exists()
    assert "Theirs" not in client.get("/notifications/").content.decode()


def test_an_emailed_notification_is_sent_once_with_an_absolute_link(
    eli, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify(users=[eli], text="A finding for you", url="/insights/findings/7/", email=True)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [eli.email]
    assert "://" in mailoutbox[0].body
    assert "/insights/findings/7/" in mailoutbox[0].body
    assert notifications_email_send(notification_ids=[note.pk]) == 0  # a rerun of the task sends nothing
    assert len(mailoutbox) == 1


def test_a_rolled_back_write_emails_nobody(eli, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[eli], text="Never", url="/", email=True)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()
