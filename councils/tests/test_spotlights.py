"""Spotlights: written by holders of councils.publish_spotlights, consented by the employee themself, public at
/spotlights/ only while published with standing consent; withdrawing unpublishes in the same request."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from PIL import Image

from councils.models import Spotlight
from councils.services.spotlights import (
    spotlight_consent_record,
    spotlight_consent_request,
    spotlight_create,
    spotlight_publish,
    spotlight_update,
)
from intranet.tests.post_factories import jpeg

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INTERVIEW = "**Why soda?** Because bubbles.\n\n<script>alert('x')</script>\n\n[site](javascript:alert(1))"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def writer(make_user):
    """A Customer-council member who holds councils.publish_spotlights (granted directly here)."""
    user = make_user(email="wren.writer@carlssoda.example", name="Wren Avila", roles=["employee", "council_member"])
    user.user_permissions.add(Permission.objects.get(codename="publish_spotlights"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def eli(make_user):
    return make_user("eli.employee")


def _photo_with_exif():
    exif = Image.Exif()
    exif[0x010F] = "Fizzcam Maker"
    return jpeg(size=(2000, 1500), exif=exif.tobytes())


@pytest.fixture
def draft(writer, eli, media):
    return spotlight_create(
        employee=eli, title="Eli keeps the lines moving", quote="Every can tells a story.", interview=INTERVIEW,
        photo=_photo_with_exif(), by=writer,
    )  # fmt: skip


def test_a_draft_is_not_public_and_cannot_be_published_without_consent(client, draft, writer):
    assert draft.slug == "eli-keeps-the-lines-moving"
    assert client.get("/spotlights/").content.decode().count("Eli keeps") == 0
    assert client.get(f"/spotlights/{draft.slug}/").status_code == 404
    assert client.get(f"/spotlights/{draft.slug}/photo.jpg").status_code == 404
    with pytest.raises(ValidationError, match="has not consented to this version yet"):
        spotlight_publish(spotlight=draft, by=writer)
    assert Spotlight.objects.get(pk=draft.pk).status == Spotlight.Status.DRAFT


def test_the_database_refuses_a_published_spotlight_without_consent(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Spotlight.objects.filter(pk=draft.pk).update(status=Spotlight.Status.PUBLISHED)


def test_the_photo_is_re_encoded_small_and_without_metadata(draft):
    with draft.photo.open("rb") as stored:
        stored_bytes = stored.read()
    with Image.open(io.BytesIO(stored_bytes)) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 800
        assert not image.getexif()
        assert b"Fizzcam" not in stored_bytes


def test_only_writers_write_and_only_employees_are_spotlighted(make_user, eli, writer, media):
    outsider = make_user(email="otto.outsider@carlssoda.example", roles=["employee"])
    with pytest.raises(PermissionDenied):
        spotlight_create(employee=eli, title="T", quote="Q", interview="I", by=outsider)
    customer = make_user("amy.ambassador")
    with pytest.raises(ValidationError, match="choose an active colleague"):
        spotlight_create(employee=customer, title="T", quote="Q", interview="I", by=writer)
    with pytest.raises(ValidationError):
        spotlight_create(employee=eli, title="T", quote="", interview="I", by=writer)
    assert not Spotlight.objects.exists()


def test_consent_by_the_employee_page_then_published_then_public_and_sanitised(
    client, draft, writer, eli, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        spotlight_consent_request(spotlight=draft, by=writer)
    assert [m.to for m in mail.outbox] == [[eli.email]]
    assert f"/councils/spotlights/{draft.pk}/consent/" in mail.outbox[0].body
    client.force_login(writer)  # not the employee: 404
    assert client.get(f"/councils/spotlights/{draft.pk}/consent/").status_code == 404
    assert client.post(f"/councils/spotlights/{draft.pk}/consent/", {"consent": "yes"}).status_code == 404
    client.force_login(eli)
    page = client.get(f"/councils/spotlights/{draft.pk}/consent/").content.decode()
    assert "Every can tells a story." in page
    assert "<strong>Why soda?</strong>" in page
    assert "<script>" not in page
    assert 'href="javascript:' not in page
    assert client.post(f"/councils/spotlights/{draft.pk}/consent/", {"consent": "yes"}).status_code == 302
    published = spotlight_publish(spotlight=draft, by=writer)
    assert published.status == Spotlight.Status.PUBLISHED
    with pytest.raises(ValidationError, match="already published"):
        spotlight_publish(spotlight=draft, by=writer)
    client.logout()
    assert "Eli keeps the lines moving" in client.get("/spotlights/").content.decode()
    detail = client.get(f"/spotlights/{draft.slug}/")
    assert detail.status_code == 200
    assert "<script>" not in detail.content.decode()
    photo = client.get(f"/spotlights/{draft.slug}/photo.jpg")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"


def test_withdrawing_unpublishes_in_the_same_request(client, draft, writer, eli):
    spotlight_consent_record(spotlight=draft, employee=eli, consent=True)
    spotlight_publish(spotlight=draft, by=writer)
    client.force_login(eli)
    response = client.post(f"/councils/spotlights/{draft.pk}/withdraw/")
    assert response.status_code == 302
    withdrawn = Spotlight.objects.get(pk=draft.pk)
    assert withdrawn.status == Spotlight.Status.UNPUBLISHED
    assert withdrawn.consent_withdrawn_at is not None
    client.logout()
    assert client.get(f"/spotlights/{draft.slug}/").status_code == 404
    assert client.get(f"/spotlights/{draft.slug}/photo.jpg").status_code == 404
    assert "Eli keeps" not in client.get("/spotlights/").content.decode()
    with pytest.raises(ValidationError, match="withdrawn"):
        spotlight_publish(spotlight=draft, by=writer)


def test_someone_else_cannot_withdraw(client, draft, writer, eli, make_user):
    spotlight_consent_record(spotlight=draft, employee=eli, consent=True)
    spotlight_publish(spotlight=draft, by=writer)
    client.force_login(make_user(email="nosy.colleague@carlssoda.example", roles=["employee"]))
    assert client.post(f"/councils/spotlights/{draft.pk}/withdraw/").status_code == 404
    assert Spotlight.objects.get(pk=draft.pk).status == Spotlight.Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        spotlight_consent_record(spotlight=draft, employee=writer, consent=False)


def test_editing_after_consent_asks_for_consent_again(draft, writer, eli):
    spotlight_consent_record(spotlight=draft, employee=eli, consent=True)
    spotlight_publish(spotlight=draft, by=writer)
    edited = spotlight_update(
        spotlight=draft, title=draft.title, quote="A new quote.", interview=draft.interview, by=writer
    )
    assert edited.consent_at is None
    assert edited.status == Spotlight.Status.UNPUBLISHED
    unchanged = spotlight_update(
        spotlight=draft, title=draft.title, quote="A new quote.", interview=draft.interview, by=writer
    )
    assert unchanged.status == Spotlight.Status.UNPUBLISHED


def test_writers_pages_publish_and_refuse_clearly(client, draft, writer):
    client.force_login(writer)
    assert client.get("/councils/spotlights/manage/").status_code == 200
    response = client.post(f"/councils/spotlights/{draft.pk}/publish/", follow=True)
    assert "has not consented to this version yet" in response.content.decode()
    assert Spotlight.objects.get(pk=draft.pk).status == Spotlight.Status.DRAFT
