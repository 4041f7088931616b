"""Stories: ambassadors submit, program managers publish or decline, everyone reads the published ones."""

import pytest
from django.urls import reverse

from advocacy.models import Activity, Story
from advocacy.selectors.recognition import points_for
from advocacy.services.recognition import RecognitionError, story_decline, story_publish, story_submit
from advocacy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(make_user):
    return MembershipFactory(user=make_user("amy.ambassador"))


@pytest.fixture
def ana(make_user):
    return make_user("ana.insights")


def test_an_ambassador_submits_a_story_and_sees_it_waiting(client, amy):
    client.force_login(amy.user)
    response = client.post(
        reverse("advocacy:story_new"),
        {"kind": "story", "title": "Cherry at the lake", "body": "We took a crate to the lake."},
        follow=True,
    )
    story = Story.objects.get()
    assert story.membership == amy
    assert story.status == Story.Status.SUBMITTED
    assert story.slug is None
    assert "Waiting for review" in response.content.decode()


def test_publishing_makes_a_slug_credits_points_and_a_badge(client, amy, ana):
    story = story_submit(membership=amy, title="Cherry at the lake!", body="We took a crate to the lake.")
    client.force_login(ana)

    response = client.post(reverse("advocacy:story_publish", args=[story.pk]), follow=True)

    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.slug == "cherry-at-the-lake"
    assert story.reviewed_by == ana
    assert "is published" in response.content.decode()
    assert Activity.objects.get(membership=amy).kind == "story"
    assert points_for(amy) == 30
    assert "first-story" in set(amy.badges.values_list("badge", flat=True))


def test_publishing_twice_is_refused_and_earns_once(amy, ana):
    story = story_submit(membership=amy, title="Twice", body="Body.")
    story_publish(story=story, by=ana)
    with pytest.raises(RecognitionError, match="already published"):
        story_publish(story=story, by=ana)
    assert points_for(amy) == 30


def test_two_stories_with_one_title_get_different_slugs(amy):
    first = story_publish(story=story_submit(membership=amy, title="My soda", body="One."))
    second = story_publish(story=story_submit(membership=amy, title="My soda", body="Two."))
    assert first.slug == "my-soda"
    assert second.slug == f"my-soda-{second.pk}"


def test_declining_needs_a_note_the_author_reads(client, amy, ana):
    story = story_submit(membership=amy, title="Draft", body="Body.")
    with pytest.raises(RecognitionError, match="note"):
        story_decline(story=story, note="  ", by=ana)

    client.force_login(ana)
    client.post(reverse("advocacy:story_decline", args=[story.pk]), {"note": "Add the photos, please."})
    story.refresh_from_db()
    assert story.status == Story.Status.DECLINED
    assert points_for(amy) == 0

    client.force_login(amy.user)
    page = client.get(reverse("advocacy:my_story", args=[story.pk])).content.decode()
    assert "Add the photos, please." in page


def test_the_public_page_shows_only_published_stories_with_a_first_name(client, amy):
    published = story_publish(story=story_submit(membership=amy, title="Published one", body="Out there."))
    story_submit(membership=amy, title="Still waiting", body="Not yet.")
    story_decline(story=story_submit(membership=amy, title="Declined one", body="No."), note="No.")

    listing = client.get(reverse("advocacy:stories")).content.decode()  # no login
    assert "Published one" in listing
    assert "Still waiting" not in listing
    assert "Declined one" not in listing
    assert "by Amy" in listing
    assert "Castillo" not in listing
    assert amy.user.email not in listing

    detail = client.get(reverse("advocacy:story", args=[published.slug]))
    assert detail.status_code == 200
    assert "Out there." in detail.content.decode()
    waiting = Story.objects.get(title="Still waiting")
    waiting.slug = "still-waiting"  # even with a slug, an unpublished story is not public
    waiting.save()
    assert client.get(reverse("advocacy:story", args=["still-waiting"])).status_code == 404


def test_another_members_story_is_not_found(client, amy, make_user):
    other = MembershipFactory()
    theirs = story_submit(membership=other, title="Theirs", body="Private draft.")
    client.force_login(amy.user)

    response = client.get(reverse("advocacy:my_story", args=[theirs.pk]))
    assert response.status_code == 404


def test_only_program_managers_publish(client, amy):
    story = story_submit(membership=amy, title="Mine", body="Body.")
    client.force_login(amy.user)
    assert client.post(reverse("advocacy:story_publish", args=[story.pk])).status_code == 403
    story.refresh_from_db()
    assert story.status == Story.Status.SUBMITTED


def test_the_review_page_lists_waiting_stories(client, amy, ana):
    story_submit(membership=amy, title="Waiting here", body="Body.")
    client.force_login(ana)
    page = client.get(reverse("advocacy:program_stories")).content.decode()
    assert "Waiting (1)" in page
    assert "Waiting here" in page
