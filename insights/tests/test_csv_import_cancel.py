"""Cancelling an abandoned CSV upload: by hand from the mapping page or the list, and by the daily task."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from insights.models import MentionImport
from insights.services.csv_import import import_start, import_upload
from insights.tasks import imports_cancel_abandoned_task
from insights.tests.test_csv_import import COLUMNS, a_file, csv_bytes, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def _stored(upload: MentionImport) -> Path:
    return Path(upload.file.path)


def test_cancel_on_the_mapping_page_asks_then_deletes_the_file(as_ana, ana, django_capture_on_commit_callbacks):
    upload = import_upload(file=a_file(csv_bytes([row(1)])), user=ana)
    stored = _stored(upload)
    assert "Cancel this upload" in as_ana.get(reverse("insights:import_map", args=[upload.pk])).content.decode()
    cancel_url = reverse("insights:import_cancel", args=[upload.pk])
    asked = as_ana.post(cancel_url)
    assert "Cancel the upload" in asked.content.decode()
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_ana.post(cancel_url, {"confirm": "1"}, follow=True)
    assert "is cancelled and its file deleted" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == MentionImport.Status.CANCELLED
    assert not upload.file
    assert not stored.exists()
    listing = as_ana.get(reverse("insights:imports")).content.decode()
    assert "Cancelled" in listing
    detail = as_ana.get(reverse("insights:import_detail", args=[upload.pk])).content.decode()
    assert "was cancelled before it started" in detail


def test_a_cancelled_upload_cannot_be_started(as_ana, ana, django_capture_on_commit_callbacks):
    upload = import_upload(file=a_file(csv_bytes([row(1)])), user=ana)
    with django_capture_on_commit_callbacks(execute=True):
        as_ana.post(reverse("insights:import_cancel", args=[upload.pk]), {"confirm": "1"})
    page = as_ana.post(
        reverse("insights:import_map", args=[upload.pk]),
        {"col_text": "message", "col_published_at": "date", "col_channel": "network", "source": "csv"},
    )
    assert page.status_code == 302
    assert "upload the file again" in as_ana.get(page["Location"]).content.decode()
    upload.refresh_from_db()
    assert upload.status == MentionImport.Status.CANCELLED


def test_a_started_import_is_not_cancelled(as_ana, ana, django_capture_on_commit_callbacks):
    upload = import_upload(file=a_file(csv_bytes([row(1)])), user=ana)
    with django_capture_on_commit_callbacks(execute=True):
        import_start(upload=upload, mapping={"columns": COLUMNS, "source": "csv", "channel": ""})
    response = as_ana.post(reverse("insights:import_cancel", args=[upload.pk]), {"confirm": "1"}, follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == MentionImport.Status.DONE


def test_the_daily_task_cancels_only_old_abandoned_uploads_and_is_safe_twice(
    ana, settings, django_capture_on_commit_callbacks
):
    settings.INSIGHTS_UPLOAD_MAX_AGE_HOURS = 48
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        old = import_upload(file=a_file(csv_bytes([row(1)]), "old.csv"), user=ana)
    with time_machine.travel(start + dt.timedelta(hours=40), tick=False):
        recent = import_upload(file=a_file(csv_bytes([row(1)]), "recent.csv"), user=ana)
    old_file, recent_file = _stored(old), _stored(recent)
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert imports_cancel_abandoned_task.delay().get() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert imports_cancel_abandoned_task.delay().get() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (MentionImport.Status.CANCELLED, MentionImport.Status.MAPPING)
    assert not old_file.exists()
    assert recent_file.exists()
