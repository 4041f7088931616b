"""The channels page: insights staff list, add, edit and delete (only unused) channels."""

import pytest

from insights.models import Channel
from insights.services.ingest import mentions_ingest
from insights.tests.factories import ChannelFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(client, login):
    login(client, "ana.insights")
    return client


def test_the_page_lists_every_channel_in_few_queries(ana, django_assert_max_num_queries):
    for n in range(10):
        ChannelFactory(slug=f"extra-{n}", is_active=n % 2 == 0)
    with django_assert_max_num_queries(8):
        page = ana.get("/insights/channels/").content.decode()
    assert "X / Twitter" in page
    assert "Extra-3" in page
    assert "Inactive" in page


def test_staff_add_a_channel(ana):
    response = ana.post(
        "/insights/channels/", {"slug": "fizzforum", "name": "Fizz Forum", "kind": "online", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Channel.objects.filter(slug="fizzforum", name="Fizz Forum", is_active=True).exists()


def test_a_taken_slug_shows_on_the_form(ana):
    response = ana.post("/insights/channels/", {"slug": "reddit", "name": "Reddit 2", "kind": "online"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_staff_rename_and_deactivate_a_channel_and_its_slug_stays(ana):
    reddit = Channel.objects.get(slug="reddit")
    response = ana.post(f"/insights/channels/{reddit.pk}/", {"slug": "evil", "name": "Reddit (all)", "kind": "online"})
    assert response.status_code == 302
    reddit.refresh_from_db()
    assert (reddit.slug, reddit.name, reddit.is_active) == ("reddit", "Reddit (all)", False)


def test_deleting_an_unused_channel_asks_first_then_deletes(ana):
    unused = ChannelFactory(slug="myspace")
    asked = ana.post(f"/insights/channels/{unused.pk}/delete/")
    assert asked.status_code == 200
    assert "Delete the channel" in asked.content.decode()
    assert Channel.objects.filter(pk=unused.pk).exists()
    done = ana.post(f"/insights/channels/{unused.pk}/delete/", {"confirm": "1"}, follow=True)
    assert "deleted" in done.content.decode()
    assert not Channel.objects.filter(pk=unused.pk).exists()


def test_a_channel_with_mentions_is_not_deleted_and_the_page_says_deactivate(ana):
    mentions_ingest([item(1, channel="reddit")])
    reddit = Channel.objects.get(slug="reddit")
    response = ana.post(f"/insights/channels/{reddit.pk}/delete/", {"confirm": "1"}, follow=True)
    assert "deactivate it" in response.content.decode()
    assert Channel.objects.filter(pk=reddit.pk).exists()


def test_other_roles_cannot_delete_a_channel(client, login):
    unused = ChannelFactory(slug="myspace")
    login(client, "eli.employee")
    assert client.post(f"/insights/channels/{unused.pk}/delete/", {"confirm": "1"}).status_code == 403
    assert Channel.objects.filter(pk=unused.pk).exists()
