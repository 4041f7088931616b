"""First-response targets and owners, set on the channels page and over the channels API: a changed target moves
the due time of the channel's unanswered mentions (only those), and never sends an overdue email again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from insights.models import Channel, Mention
from insights.selectors.responses import overdue_count
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.triage import mention_respond
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def twitter():
    channel = Channel.objects.get(slug="twitter")
    channel.response_target_minutes = 24 * 60
    channel.save()
    return channel


@pytest.fixture
def three(twitter):
    """Three twitter mentions of two hours ago: one answered, one already emailed as overdue, one untouched."""
    published = timezone.now() - timedelta(hours=2)
    result = mentions_ingest([item(n, published_at=published.isoformat()) for n in range(1, 4)])
    answered, notified, untouched = Mention.objects.filter(pk__in=result.created_ids).order_by("pk")
    mention_respond(mention=answered, by=None, at=published + timedelta(minutes=20))
    Mention.objects.filter(pk=notified.pk).update(overdue_notified_at=published)
    return [Mention.objects.get(pk=m.pk) for m in (answered, notified, untouched)]


def test_staff_set_a_target_and_an_owner_on_the_channels_page(client, login, make_user, twitter, three):
    login(client, "ana.insights")
    owner = make_user(email="owner@rapport.example", name="Olu Owner", roles=[Role.INSIGHTS_STAFF])
    rollups_refresh()
    assert overdue_count() == 0
    response = client.post(
        f"/insights/channels/{twitter.pk}/",
        {"name": twitter.name, "kind": "online", "is_active": "on", "response_target_minutes": "60", "owner": owner.pk},
    )
    assert response.status_code == 302
    twitter.refresh_from_db()
    assert (twitter.response_target_minutes, twitter.owner) == (60, owner)
    answered, notified, untouched = (Mention.objects.get(pk=m.pk) for m in three)
    assert answered.response_due_at == three[0].response_due_at  # answered against the old target: kept
    assert untouched.response_due_at == untouched.published_at + timedelta(minutes=60)
    assert notified.response_due_at == notified.published_at + timedelta(minutes=60)
    assert notified.overdue_notified_at == three[1].overdue_notified_at  # not to be sent again
    assert untouched.overdue_notified_at is None
    page = client.get("/insights/channels/").content.decode()
    assert "within 60 min" in page
    assert "Olu Owner" in page
    rollups_refresh()  # the change marked the mentions' hours: the pass counts them overdue now
    assert overdue_count() == 2


def test_the_form_refuses_a_zero_target_and_an_owner_who_is_not_staff(client, login, make_user, twitter):
    login(client, "ana.insights")
    outsider = make_user(email="eli@rapport.example", roles=[Role.EMPLOYEE])
    response = client.post(
        f"/insights/channels/{twitter.pk}/",
        {"name": twitter.name, "kind": "online", "response_target_minutes": "0", "owner": outsider.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"response_target_minutes", "owner"}
    twitter.refresh_from_db()
    assert twitter.response_target_minutes == 24 * 60


def test_the_api_sets_and_clears_a_target(admin_api, twitter, three, make_user):
    make_user(email="owner@rapport.example", roles=[Role.INSIGHTS_STAFF])
    response = admin_api(
        "patch", f"channels/{twitter.pk}", {"response_target_minutes": 90, "owner": "owner@rapport.example"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["response_target_minutes"] == 90
    assert response.json()["owner"] == "owner@rapport.example"
    untouched = Mention.objects.get(pk=three[2].pk)
    assert untouched.response_due_at == untouched.published_at + timedelta(minutes=90)

    response = admin_api("patch", f"channels/{twitter.pk}", {"response_target_minutes": None})
    assert response.json()["owner"] == "owner@rapport.example"  # a partial update keeps the owner
    assert Mention.objects.get(pk=three[2].pk).response_due_at is None  # no target: never overdue
    assert Mention.objects.get(pk=three[0].pk).response_due_at is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"response_target_minutes": 0}, "response_target_minutes"),
        ({"response_target_minutes": 10**9}, "response_target_minutes"),
        ({"response_target_minutes": "soon"}, "response_target_minutes"),
        ({"owner": "nobody@rapport.example"}, "owner"),
    ],
)
def test_the_api_refuses_bad_targets_and_owners(admin_api, assert_api_error, twitter, body, field):
    error = assert_api_error(admin_api("patch", f"channels/{twitter.pk}", body), 400, "invalid")
    assert field in error["details"]
    twitter.refresh_from_db()
    assert (twitter.response_target_minutes, twitter.owner) == (24 * 60, None)


def test_a_new_channel_has_no_target_unless_given(admin_api):
    plain = admin_api("post", "channels", {"slug": "mastodon", "name": "Mastodon", "kind": "online"}).json()
    assert (plain["response_target_minutes"], plain["owner"]) == (None, None)
    timed = admin_api(
        "post", "channels", {"slug": "bluesky", "name": "Bluesky", "kind": "online", "response_target_minutes": 30}
    )
    assert timed.json()["response_target_minutes"] == 30
