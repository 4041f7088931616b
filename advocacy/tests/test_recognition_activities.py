"""Logging shares and reviews, the points ledger and badges."""

import pytest
from django.urls import reverse

from advocacy.models import Activity, BadgeAward
from advocacy.selectors.recognition import activity_totals, points_for
from advocacy.services.activities import activity_record, activity_release, badges_award
from advocacy.services.membership import membership_pause
from advocacy.services.recognition import NotEarning, RecognitionError, review_record, share_record
from advocacy.tests.factories import MembershipFactory
from insights.models import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(make_user):
    return MembershipFactory(user=make_user("amy.ambassador"))


def test_the_same_post_shared_twice_counts_once(amy, channels):
    first = share_record(membership=amy, url="https://x.com/amy/status/1", channel=channels[0])
    again = share_record(membership=amy, url="HTTPS://X.com/amy/status/1/#comments", channel=channels[0])

    assert first.points == 5
    assert again is None
    assert Activity.objects.filter(membership=amy, kind="share").count() == 1
    assert points_for(amy) == 5


def test_a_post_someone_else_logged_is_refused(amy, channels):
    share_record(membership=amy, url="https://x.com/amy/status/1", channel=channels[0])
    other = MembershipFactory()

    with pytest.raises(RecognitionError, match="already logged by another ambassador"):
        share_record(membership=other, url="https://x.com/amy/status/1", channel=channels[0])
    assert points_for(other) == 0


def test_a_review_earns_review_points(amy, channels):
    review_record(membership=amy, url="https://reviews.example/carls/1", channel=channels[1])
    assert points_for(amy) == 10
    assert activity_totals([amy])[amy.pk].reviews == 1


def test_a_paused_member_cannot_earn(amy, channels):
    membership_pause(membership=amy, reason="Travelling")
    amy.refresh_from_db()

    with pytest.raises(NotEarning, match="paused"):
        share_record(membership=amy, url="https://x.com/amy/status/1", channel=channels[0])
    assert activity_record(membership=amy, kind="click", key="click:1") is None
    assert not Activity.objects.exists()


def test_a_paused_member_sees_why_on_the_activity_page(client, amy, channels):
    membership_pause(membership=amy)
    client.force_login(amy.user)

    page = client.get(reverse("advocacy:activity"))
    assert "paused" in page.content.decode()
    response = client.post(
        reverse("advocacy:activity"),
        {"form": "share", "share-url": "https://x.com/amy/status/9", "share-channel": channels[0].pk},
    )
    assert response.status_code == 200
    assert "new activity earns no points" in response.content.decode()
    assert not Activity.objects.exists()


def test_held_activity_earns_nothing_until_released(amy):
    activity_record(membership=amy, kind="conversion", key="order-1", held=True)
    assert points_for(amy) == 0
    assert not BadgeAward.objects.filter(membership=amy).exists()

    assert activity_release(membership=amy, kind="conversion", key="order-1")
    assert points_for(amy) == 50
    assert not activity_release(membership=amy, kind="conversion", key="order-1")  # once


def test_badges_are_awarded_once(amy, channels):
    share_record(membership=amy, url="https://x.com/amy/status/1", channel=channels[0])
    share_record(membership=amy, url="https://x.com/amy/status/2", channel=channels[0])
    assert badges_award(amy) == []  # nothing new to give

    assert list(BadgeAward.objects.filter(membership=amy).values_list("badge", flat=True)) == ["first-share"]


def test_points_badges_follow_the_ledger(amy, settings):
    settings.ADVOCACY_POINTS = {**settings.ADVOCACY_POINTS, "review": 60}
    activity_record(membership=amy, kind="review", key="https://reviews.example/1")
    assert "hundred-points" not in set(amy.badges.values_list("badge", flat=True))

    activity_record(membership=amy, kind="review", key="https://reviews.example/2")
    assert {"first-review", "hundred-points"} <= set(amy.badges.values_list("badge", flat=True))


def test_a_released_held_item_awards_its_badge(amy):
    activity_record(membership=amy, kind="share", key="https://social.example/held", held=True)
    assert not amy.badges.exists()

    activity_release(membership=amy, kind="share", key="https://social.example/held")
    assert list(amy.badges.values_list("badge", flat=True)) == ["first-share"]


def test_logging_a_share_on_the_page_shows_points_and_the_new_badge(client, amy, channels):
    client.force_login(amy.user)
    response = client.post(
        reverse("advocacy:activity"),
        {"form": "share", "share-url": "https://x.com/amy/status/1", "share-channel": channels[0].pk},
        follow=True,
    )
    body = response.content.decode()
    assert "+5 points" in body
    assert "New badge: First share!" in body

    again = client.post(
        reverse("advocacy:activity"),
        {"form": "share", "share-url": "https://x.com/amy/status/1", "share-channel": channels[0].pk},
        follow=True,
    )
    assert "it counts once" in again.content.decode()


def test_a_bad_url_is_a_form_error(client, amy, channels):
    client.force_login(amy.user)
    response = client.post(
        reverse("advocacy:activity"), {"form": "review", "review-url": "not a url", "review-channel": channels[0].pk}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Activity.objects.exists()


# --- What a share must be ------------------------------------------------------


def test_a_share_on_a_known_network_takes_its_channel_from_the_address(amy, channels):
    on_x = share_record(membership=amy, url="https://x.com/amy/status/11")
    on_reddit = share_record(membership=amy, url="https://old.reddit.com/r/soda/comments/abc/carls/")

    assert (on_x.channel.slug, on_reddit.channel.slug) == ("twitter", "reddit")
    assert points_for(amy) == 10


def test_a_share_whose_channel_contradicts_its_address_is_refused(amy, channels):
    twitter = channels[0]

    with pytest.raises(RecognitionError, match="on Facebook, not X / Twitter"):
        share_record(membership=amy, url="https://www.facebook.com/amy/posts/1", channel=twitter)
    with pytest.raises(RecognitionError, match="not on X / Twitter"):
        share_record(membership=amy, url="https://myblog.example/cherry", channel=twitter)
    assert not Activity.objects.exists()


def test_an_address_on_no_known_network_needs_its_channel(amy):
    blogs = Channel.objects.get(slug="blog")

    with pytest.raises(RecognitionError, match="Choose where you shared it"):
        share_record(membership=amy, url="https://myblog.example/cherry")
    recorded = share_record(membership=amy, url="https://myblog.example/cherry", channel=blogs)

    assert recorded.channel == blogs


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://x.com/amy/status/1",
        "https://x.com/amy/status/1<script>alert(1)</script>",
        'https://x.com/amy/status/1"onmouseover="alert(1)',
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_share_needs_a_plain_http_address(amy, channels, url):
    with pytest.raises(RecognitionError, match="full address of the post"):
        share_record(membership=amy, url=url, channel=channels[0])
    assert not Activity.objects.exists()
    assert not amy.badges.exists()


def test_the_database_refuses_a_second_share_of_one_address(amy):
    """Past the service's check (a race): the unique constraint keeps the post counted once, and the
    second member's record is simply not made."""
    activity_record(membership=amy, kind="share", key="https://x.com/amy/status/1")

    other = MembershipFactory()
    assert activity_record(membership=other, kind="share", key="https://x.com/amy/status/1") is None
    assert Activity.objects.filter(kind="share", key="https://x.com/amy/status/1").get().membership == amy
    assert points_for(other) == 0


def test_the_share_form_asks_the_address_first_and_preselects_no_channel(client, amy, channels):
    client.force_login(amy.user)

    page = client.get(reverse("advocacy:activity")).content.decode()
    logged = client.post(
        reverse("advocacy:activity"), {"form": "share", "share-url": "https://x.com/amy/status/5", "share-channel": ""}
    )
    script = client.post(
        reverse("advocacy:activity"),
        {"form": "share", "share-url": "https://x.com/a/<script>alert(1)</script>", "share-channel": ""},
    )

    channel_select = page[page.index('id="id_share-channel"') :].split("</select>")[0]
    assert '<option value="" selected>Tell from the address</option>' in channel_select
    assert channel_select.count("selected") == 1
    assert logged.status_code == 302
    assert Activity.objects.get().channel.slug == "twitter"
    assert script.status_code == 200
    assert "full address of the post" in script.content.decode()
    assert Activity.objects.count() == 1
