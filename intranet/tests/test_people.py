"""People: profiles with photos, the directory, new joiners, and what each person chooses to show."""

import io
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from accounts.services import department_member_add
from intranet.models import Profile, Skill
from intranet.services import profile_update

pytestmark = pytest.mark.django_db

GPS = 0x8825


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def eli(login, client):
    return login(client, "eli.employee")


@pytest.fixture
def colleague(make_user):
    def make(name, **profile):
        user = make_user(email=f"{name.lower().replace(' ', '.')}@carlssoda.example", name=name, roles=[Role.EMPLOYEE])
        if profile:
            profile_update(user=user, **profile)
        return user

    return make


def jpeg_with_gps(size=(1200, 800)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 40))
    exif = Image.Exif()
    exif[0x010F] = "Fizzcam"  # Make
    exif[GPS] = {1: "N", 2: (45.0, 31.0, 12.0), 3: "W", 4: (122.0, 40.0, 5.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def bomb_png(width=100_000, height=100_000) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels."""
    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = 8 + 4  # signature, chunk length
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    body = bytes(data[ihdr : ihdr + 4 + 13])
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(body))
    return bytes(data)


def stored_photos(media_root: Path) -> list[Path]:
    return [p for p in (media_root / "intranet" / "photos").glob("*")] if media_root.exists() else []


# --- Photos ------------------------------------------------------------------------------------


def test_photo_is_re_encoded_resized_and_loses_its_exif(eli, client, media_root):
    response = client.post(reverse("intranet:profile"), {"title": "Flavour chemist", "photo": upload(jpeg_with_gps())})
    assert response.status_code == 302
    [path] = stored_photos(media_root)
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 512
        assert stored.size == (512, 341)
        assert stored.getexif() == {}
        assert "exif" not in stored.info
    assert b"Fizzcam" not in path.read_bytes()
    photo = client.get(reverse("intranet:person_photo", args=[eli.pk]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"


def test_a_png_with_transparency_is_stored_as_a_jpeg(eli, client, media_root):
    out = io.BytesIO()
    Image.new("RGBA", (100, 60), (0, 0, 0, 0)).save(out, "PNG")
    client.post(reverse("intranet:profile"), {"photo": upload(out.getvalue(), "me.png", "image/png")})
    [path] = stored_photos(media_root)
    with Image.open(path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (100, 60))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?php echo 'not an image'; ?>" * 10, "not an image we can read"),
        (bomb_png(), "too many pixels"),
        (b"GIF89a" + b"\x00" * 40, "not an image we can read"),
    ],
    ids=["text named .jpg", "image bomb", "truncated gif"],
)
def test_a_refused_photo_says_why_and_writes_nothing(eli, client, media_root, data, message):
    response = client.post(
        reverse("intranet:profile"), {"title": "Flavour chemist", "bio": "Hello", "photo": upload(data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.filter(user=eli).exists()
    assert stored_photos(media_root) == []


def test_an_oversized_photo_is_refused(eli, client, media_root, settings):
    settings.INTRANET_PHOTO_MAX_BYTES = 10_000
    response = client.post(
        reverse("intranet:profile"), {"title": "Chemist", "photo": upload(jpeg_with_gps((2000, 2000)))}
    )
    assert "too large" in response.content.decode()
    assert not Profile.objects.filter(user=eli).exists()
    assert stored_photos(media_root) == []


def test_a_refused_photo_leaves_the_saved_profile_as_it_was(eli, client, media_root):
    profile_update(user=eli, title="Flavour chemist", photo=upload(jpeg_with_gps()))
    client.post(reverse("intranet:profile"), {"title": "Changed", "photo": upload(b"nope")})
    profile = Profile.objects.get(user=eli)
    assert profile.title == "Flavour chemist"
    assert len(stored_photos(media_root)) == 1


def test_a_new_photo_replaces_the_old_file(eli, client, media_root, django_capture_on_commit_callbacks):
    profile_update(user=eli, photo=upload(jpeg_with_gps()))
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=eli, photo=upload(jpeg_with_gps((300, 300))))
    [path] = stored_photos(media_root)
    assert Profile.objects.get(user=eli).photo.name.endswith(path.name)


# --- Visibility ----------------------------------------------------------------------------------


def test_hidden_fields_show_neither_in_the_directory_nor_on_the_profile(eli, client, colleague, departments):
    mia = colleague(
        "Mia Quill",
        title="Syrup blender",
        location="Portland plant",
        bio="I blend the cherry syrup.",
        skills="Fermentation",
        photo=upload(jpeg_with_gps()),
        visibility={
            "show_title": False,
            "show_location": False,
            "show_bio": False,
            "show_skills": False,
            "show_photo": False,
            "show_department": False,
        },
    )
    department_member_add(department=departments[0], user=mia)
    for url in (reverse("intranet:people"), reverse("intranet:person", args=[mia.pk])):
        html = client.get(url).content.decode()
        assert "Mia Quill" in html
        for hidden in (
            "Syrup blender",
            "Portland plant",
            "cherry syrup",
            "Fermentation",
            'mb-1">Marketing',
            "Departments</dt>",
            "Photo of Mia",
        ):
            assert hidden not in html, (url, hidden)
    assert client.get(reverse("intranet:person_photo", args=[mia.pk])).status_code == 404


def test_shown_fields_appear(eli, client, colleague):
    mia = colleague(
        "Mia Quill",
        title="Syrup blender",
        location="Portland plant",
        bio="I blend.",
        skills="Fermentation, Excel",
        interests="Jazz",
    )
    html = client.get(reverse("intranet:person", args=[mia.pk])).content.decode()
    for shown in ("Syrup blender", "Portland plant", "I blend.", "Fermentation", "Excel", "Jazz"):
        assert shown in html


def test_a_hidden_field_cannot_be_found_by_search_or_filter(eli, client, colleague):
    colleague(
        "Mia Quill",
        title="Syrup blender",
        location="Portland plant",
        skills="Fermentation",
        visibility={"show_title": False, "show_location": False, "show_skills": False},
    )
    for query in ({"q": "syrup"}, {"q": "fermentation"}, {"skill": "fermentation"}, {"location": "Portland plant"}):
        assert "Mia Quill" not in client.get(reverse("intranet:people"), query).content.decode(), query


def test_script_in_a_bio_is_shown_as_text(eli, client, colleague):
    mia = colleague("Mia Quill", bio='<script>alert("fizz")</script><b>bold</b>')
    html = client.get(reverse("intranet:person", args=[mia.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;fizz&quot;)&lt;/script&gt;&lt;b&gt;" in html


# --- Directory -----------------------------------------------------------------------------------


def test_search_matches_name_title_skills_and_bio(eli, client, colleague):
    colleague("Mia Quill", title="Syrup blender")
    colleague("Oskar Brine", skills="Fermentation")
    colleague("Pia Sprout", bio="Ask me about cans.")
    everyone = {"Mia Quill", "Oskar Brine", "Pia Sprout"}
    for q, who in (
        ("quill", "Mia Quill"),
        ("blender", "Mia Quill"),
        ("ferment", "Oskar Brine"),
        ("cans", "Pia Sprout"),
    ):
        html = client.get(reverse("intranet:people"), {"q": q}).content.decode()
        assert {name for name in everyone if name in html} == {who}, q


def test_filters_on_department_skill_and_location(eli, client, colleague, departments):
    mia = colleague("Mia Quill", location="Portland plant", skills="Fermentation")
    colleague("Oskar Brine", location="Head office", skills="Excel")
    department_member_add(department=departments[0], user=mia)
    for query in ({"department": departments[0].slug}, {"skill": "fermentation"}, {"location": "portland plant"}):
        html = client.get(reverse("intranet:people"), query).content.decode()
        assert "Mia Quill" in html, query
        assert "Oskar Brine" not in html, query


def test_skills_are_one_tag_whatever_the_case(eli, colleague):
    colleague("Mia Quill", skills="Fermentation, fermentation ,  FERMENTATION")
    colleague("Oskar Brine", skills="fermentation", interests="Fermentation")
    assert Skill.objects.count() == 1


def test_only_employees_are_in_the_directory(eli, client, make_user, django_assert_max_num_queries, colleague):
    make_user("amy.ambassador")
    for n in range(30):
        colleague(f"Person {n:02d}", skills="Excel", title="Clerk")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("intranet:people"))
    html = response.content.decode()
    assert "Amy Castillo" not in html
    assert "31 people" in html  # Eli and the thirty
    assert "Page 1 of 2" in html
    amy = make_user(email="amy2@example.net", name="Amy Castillo", roles=[Role.AMBASSADOR])
    assert client.get(reverse("intranet:person", args=[amy.pk])).status_code == 404


# --- New joiners ---------------------------------------------------------------------------------


def test_new_joiners_are_recent_starters_newest_first(eli, client, colleague):
    today = timezone.localdate()
    colleague("Mia Quill", start_date=today - timedelta(days=3))
    colleague("Oskar Brine", start_date=today - timedelta(days=30))
    colleague("Pia Sprout", start_date=today - timedelta(days=400))
    colleague("Quin Hidden", start_date=today - timedelta(days=2), visibility={"show_start_date": False})
    colleague("Rae Future", start_date=today + timedelta(days=20))
    html = client.get(reverse("intranet:new_joiners")).content.decode()
    assert html.index("Mia Quill") < html.index("Oskar Brine")
    for absent in ("Pia Sprout", "Quin Hidden", "Rae Future"):
        assert absent not in html


# --- Editing -------------------------------------------------------------------------------------


def test_an_employee_edits_their_profile_and_visibility(eli, client):
    response = client.post(
        reverse("intranet:profile"),
        {
            "title": "Brand manager",
            "location": "Head office",
            "skills": "Excel, Storytelling",
            "show_title": "on",
            "show_bio": "on",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=eli)
    assert profile.title == "Brand manager"
    assert sorted(profile.skills.values_list("name", flat=True)) == ["Excel", "Storytelling"]
    assert profile.show_title
    assert not profile.show_location
    form = client.get(reverse("intranet:profile")).content.decode()
    assert 'value="Excel, Storytelling"' in form


def test_too_many_or_too_long_skills_are_refused(eli, client):
    many = ", ".join(f"skill {n}" for n in range(25))
    response = client.post(reverse("intranet:profile"), {"skills": many, "interests": "x" * 41})
    html = response.content.decode()
    assert "20 at most" in html
    assert "40 characters at most" in html
    assert not Profile.objects.filter(user=eli).exists()


def test_a_hidden_photo_still_shows_to_its_owner_only(eli, client, colleague):
    profile_update(user=eli, photo=upload(jpeg_with_gps()), visibility={"show_photo": False})
    assert client.get(reverse("intranet:person_photo", args=[eli.pk])).status_code == 200
    assert "Your photo" in client.get(reverse("intranet:profile")).content.decode()
    client.force_login(colleague("Mia Quill"))
    assert client.get(reverse("intranet:person_photo", args=[eli.pk])).status_code == 404


def test_a_photo_whose_file_is_gone_is_not_found(eli, client, media_root):
    profile = profile_update(user=eli, photo=upload(jpeg_with_gps()))
    profile.photo.storage.delete(profile.photo.name)
    assert client.get(reverse("intranet:person_photo", args=[eli.pk])).status_code == 404
