"""Archiving a share kit: ambassadors stop seeing it, its links go to the brand's site, its history stays."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from advocacy.models import Kit, ReferralClick, ReferralLink
from advocacy.services.referrals import kit_archive, kit_save
from advocacy.tests.factories import KitFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


@pytest.fixture
def manager(client, login):
    login(client, "ana.insights")
    return client


@pytest.fixture
def amy(make_user):
    return MembershipFactory(user=make_user("amy.ambassador"))


def _visit(client, code):
    return client.get(f"/r/{code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")


def test_an_archived_kit_disappears_for_ambassadors_and_its_links_fall_back(manager, amy, channels, settings):
    kit = KitFactory(title="Cherry archive me", campaign="cherry-arch")
    code = ReferralLink.objects.get(kit=kit, membership=amy).code
    assert _visit(Client(), code)["Location"].startswith("https://shop.carlssoda.example/cherry")
    clicks = ReferralClick.objects.count()

    response = manager.post(f"/program/kits/{kit.pk}/archive/", {"action": "archive"}, follow=True)
    assert "is archived" in response.content.decode()
    kit.refresh_from_db()
    assert kit.archived_by.email == "ana.insights@carlssoda.example"

    ambassador = Client()
    ambassador.force_login(amy.user)
    assert "Cherry archive me" not in ambassador.get("/ambassador/").content.decode()
    assert ambassador.get(f"/ambassador/kits/{kit.pk}/").status_code == 404
    assert _visit(Client(), code)["Location"] == settings.ADVOCACY_FALLBACK_URL
    assert ReferralClick.objects.count() == clicks  # the old click stays, no new one is counted
    assert ReferralLink.objects.filter(kit=kit).exists()
    assert "Cherry archive me" in manager.get("/program/referrals/").content.decode()  # the report still counts it


def test_the_kits_list_hides_archived_kits_behind_a_filter(manager, django_assert_max_num_queries):
    kept = KitFactory(title="Kept kit")
    for n in range(5):
        kit_archive(kit=KitFactory(title=f"Old kit {n}"), by=None)
    with django_assert_max_num_queries(8):
        listing = manager.get("/program/kits/").content.decode()
    assert "Kept kit" in listing
    assert "Old kit" not in listing
    with django_assert_max_num_queries(8):
        archived = manager.get("/program/kits/", {"archived": "1"}).content.decode()
    assert "Old kit 3" in archived
    assert kept.title not in archived


def test_an_unarchived_kit_is_back_with_links_for_members_who_joined_meanwhile(manager, amy, make_user):
    kit = KitFactory(title="Back again")
    kit_archive(kit=kit, by=None)
    cole = MembershipFactory()
    assert not ReferralLink.objects.filter(kit=kit, membership=cole).exists()
    response = manager.post(f"/program/kits/{kit.pk}/archive/", {"action": "unarchive"}, follow=True)
    assert "is back" in response.content.decode()
    assert Kit.objects.get(pk=kit.pk).archived_at is None
    assert ReferralLink.objects.filter(kit=kit, membership=cole).exists()


def test_an_ambassador_cannot_archive_a_kit(client, amy):
    kit = kit_save(
        title="Not yours",
        message="m",
        target_url="https://shop.carlssoda.example/",
        campaign="not-yours",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(amy.user)
    assert client.post(f"/program/kits/{kit.pk}/archive/", {"action": "archive"}).status_code == 403
    assert Kit.objects.get(pk=kit.pk).archived_at is None
