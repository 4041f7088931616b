"""Share kits: managers create and edit them; each ambassador sees an open kit with their own link."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import ApiKeyFactory
from advocacy.models import Kit, KitAsset, ReferralLink, SuggestedPost
from advocacy.selectors.referrals import kits_open_with_links
from advocacy.services.referrals import kit_save, suggested_post_add
from advocacy.tests.factories import KitFactory, MembershipFactory, kit_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def manager(client, login):
    login(client, "ana.insights")
    return client


@pytest.fixture
def amy(make_user):
    return MembershipFactory(user=make_user("amy.ambassador"))


def test_a_manager_creates_a_kit(manager):
    response = manager.post("/program/kits/new/", kit_fields())

    kit = Kit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/program/kits/{kit.pk}/"
    assert (kit.title, kit.campaign, kit.created_by.email) == (
        "Cherry Summer launch",
        "cherry-summer",
        "ana.insights@carlssoda.example",
    )
    assert b"Cherry Summer launch" in manager.get("/program/kits/").content


def test_an_end_before_the_start_is_a_form_error_and_nothing_is_saved(manager):
    response = manager.post("/program/kits/new/", kit_fields(ends_on=(TODAY() - timedelta(days=1)).isoformat()))

    assert response.status_code == 400
    assert "The kit ends before it starts" in response.content.decode()
    assert Kit.objects.count() == 0


def test_editing_keeps_the_rule(manager):
    kit = KitFactory()
    response = manager.post(f"/program/kits/{kit.pk}/", kit_fields(title="Renamed", starts_on="2026-06-10",
                                                                 ends_on="2026-06-01"))  # fmt: skip
    assert response.status_code == 400
    kit.refresh_from_db()
    assert kit.title != "Renamed"

    manager.post(f"/program/kits/{kit.pk}/", kit_fields(title="Renamed"))
    kit.refresh_from_db()
    assert kit.title == "Renamed"


def test_a_manager_adds_assets_and_suggested_posts(manager, channels):
    kit = KitFactory()
    banner = SimpleUploadedFile("banner.png", b"\x89PNG fake", content_type="image/png")

    manager.post(f"/program/kits/{kit.pk}/assets/", {"label": "Banner", "file": banner})
    manager.post(f"/program/kits/{kit.pk}/assets/", {"label": "Launch page", "url": "https://carlssoda.example/l"})
    neither = manager.post(f"/program/kits/{kit.pk}/assets/", {"label": "Nothing"})
    manager.post(f"/program/kits/{kit.pk}/posts/", {"channel": channels[0].pk, "text": "Cherry is back!"})

    assert neither.status_code == 400
    assert b"Give either a link or a file" in neither.content
    assert list(kit.assets.values_list("label", flat=True)) == ["Banner", "Launch page"]
    file_asset = kit.assets.get(label="Banner")
    download = manager.get(f"/program/kits/{kit.pk}/assets/{file_asset.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert SuggestedPost.objects.get().channel == channels[0]

    manager.post(f"/program/kits/{kit.pk}/assets/{file_asset.pk}/delete")
    manager.post(f"/program/kits/{kit.pk}/posts/{SuggestedPost.objects.get().pk}/delete")
    assert KitAsset.objects.count() == 1
    assert SuggestedPost.objects.count() == 0


def test_an_ambassador_sees_the_kit_with_their_own_link_per_channel(client, amy, channels):
    kit = KitFactory(title="Zero Sugar line")
    suggested_post_add(kit=kit, channel=channels[0], text="Zero sugar, all the taste.")
    client.force_login(amy.user)

    response = client.get(f"/ambassador/kits/{kit.pk}/")

    link = ReferralLink.objects.get(membership=amy, kit=kit)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="http://testserver/r/{link.code}"' in html
    assert f"Zero sugar, all the taste. http://testserver/r/{link.code}?ch=twitter" in html
    assert 'data-copy="#share-link"' in html
    assert "js/copy.js" in html


def test_another_members_link_never_shows_and_closed_kits_are_404(client, amy, make_user, channels):
    kit = KitFactory()
    other = MembershipFactory()
    others_link = kits_open_with_links(other)[0][1]
    ended = KitFactory(starts_on=TODAY() - timedelta(days=20), ends_on=TODAY() - timedelta(days=1))
    client.force_login(amy.user)

    page = client.get(f"/ambassador/kits/{kit.pk}/")

    assert others_link.code not in page.content.decode()
    assert client.get(f"/ambassador/kits/{ended.pk}/").status_code == 404
    assert client.get("/ambassador/kits/999999/").status_code == 404
    client.force_login(make_user(email="no.seat@example.net", roles=["ambassador"]))  # the role, no membership
    assert client.get(f"/ambassador/kits/{kit.pk}/").status_code == 404


def test_open_kits_with_links_cost_the_same_queries_for_any_number_of_kits(amy, channels, django_assert_num_queries):
    for n in range(5):
        kit = KitFactory()
        suggested_post_add(kit=kit, channel=channels[n % 3], text=f"Post {n}")

    with django_assert_num_queries(4):  # kits, posts with channels, assets, links
        pairs = kits_open_with_links(amy)
        assert [link.kit_id for _, link in pairs] == [kit.pk for kit, _ in pairs]
        assert all(post.channel.slug for kit, _ in pairs for post in kit.suggested_posts.all())
    assert len({link.code for _, link in pairs}) == 5


def test_the_kits_api_lists_and_creates(api_client, assert_api_error):
    writer = api_client("program:read", "program:write")
    reader = api_client("program:read")

    created = writer.post("/api/v1/kits", json.dumps(kit_fields()), content_type="application/json")
    bad = writer.post("/api/v1/kits", json.dumps(kit_fields(ends_on="2020-01-01")), content_type="application/json")
    refused = reader.post("/api/v1/kits", json.dumps(kit_fields()), content_type="application/json")
    listed = reader.get("/api/v1/kits")

    assert created.status_code == 201
    assert created.json()["is_open"] is True
    assert "ends_on" in assert_api_error(bad, 400, "invalid")["details"]
    assert refused.status_code == 403
    assert [k["campaign"] for k in listed.json()] == ["cherry-summer"]
    assert Kit.objects.count() == 1


def test_an_ambassador_downloads_only_files_of_open_kits_through_their_own_url(client, amy):
    kit = KitFactory()
    ended = KitFactory(starts_on=TODAY() - timedelta(days=20), ends_on=TODAY() - timedelta(days=1))
    ours = KitAsset.objects.create(kit=kit, label="Banner", file=SimpleUploadedFile("banner.png", b"\x89PNG"))
    hidden = KitAsset.objects.create(kit=ended, label="Old", file=SimpleUploadedFile("old.png", b"\x89PNG"))
    client.force_login(amy.user)

    download = client.get(f"/ambassador/kits/{kit.pk}/assets/{ours.pk}/")

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/ambassador/kits/{kit.pk}/assets/{hidden.pk}/").status_code == 404  # another kit's file
    assert client.get(f"/ambassador/kits/{ended.pk}/assets/{hidden.pk}/").status_code == 404  # an ended kit


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_opening_the_ambassador_home_and_a_kit_writes_nothing_and_shows_the_link(client, amy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kit = kit_save(**kit_fields(starts_on=TODAY(), ends_on=TODAY() + timedelta(days=9)) | {"campaign": "zero"})
    client.force_login(amy.user)
    links = ReferralLink.objects.count()

    with CaptureQueriesContext(connection) as home:
        body = client.get("/ambassador/").content.decode()
    with CaptureQueriesContext(connection) as kit_page:
        kit_body = client.get(f"/ambassador/kits/{kit.pk}/").content.decode()

    assert _writes(home.captured_queries) == []
    assert _writes(kit_page.captured_queries) == []
    assert ReferralLink.objects.count() == links
    code = ReferralLink.objects.get(membership=amy, kit=kit).code
    assert f"/r/{code}" in body
    assert f"/r/{code}" in kit_body


def test_links_are_made_when_a_kit_is_saved_and_when_a_member_joins(amy):
    kit = kit_save(**kit_fields())
    ended = kit_save(**kit_fields(starts_on=TODAY() - timedelta(days=9), ends_on=TODAY() - timedelta(days=1)))

    cole = MembershipFactory()

    assert set(ReferralLink.objects.filter(kit=kit).values_list("membership", flat=True)) == {amy.pk, cole.pk}
    assert not ReferralLink.objects.filter(kit=ended).exists()  # an ended kit needs no new links
    assert [kit.pk for kit, _ in kits_open_with_links(cole)] == [kit.pk]


def test_a_kit_created_through_the_api_records_the_owner_of_the_key(client, make_user):
    ana = make_user("ana.insights")
    _, key = ApiKeyFactory(scopes=["program:write"], created_by=ana)

    created = client.post(
        "/api/v1/kits", json.dumps(kit_fields()), content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}"
    )

    assert created.status_code == 201
    assert Kit.objects.get(pk=created.json()["id"]).created_by == ana


def test_a_kit_created_through_the_api_in_a_session_records_the_signed_in_user(client, login):
    ana = login(client, "ana.insights")

    created = client.post("/api/v1/kits", json.dumps(kit_fields()), content_type="application/json")

    assert created.status_code == 201
    assert Kit.objects.get(pk=created.json()["id"]).created_by == ana
