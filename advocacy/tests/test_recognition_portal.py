"""The ambassador home, and the shout-outs program managers post to it."""

import pytest
from django.urls import reverse

from advocacy.models import Conversion, ReferralClick, ShoutOut
from advocacy.services.activities import activity_record
from advocacy.services.recognition import shout_out_post, story_publish, story_submit
from advocacy.tests.factories import KitFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(make_user):
    return MembershipFactory(user=make_user("amy.ambassador"))


def impact(link, *, clicks=0, flagged=0, conversions=0, held=0):
    from django.utils import timezone

    now = timezone.now()
    for n in range(clicks + flagged):
        ReferralClick.objects.create(
            link=link, day=now.date(), visitor_hash=f"v{link.pk}-{n}", at=now, flagged=n >= clicks
        )
    for n in range(conversions + held):
        Conversion.objects.create(
            link=link, order_id=f"o{link.pk}-{n}", customer_ref=f"customer-{n}", ordered_at=now,
            review=Conversion.Review.HELD if n >= conversions else Conversion.Review.CLEAR,
        )  # fmt: skip


def test_the_home_shows_kits_links_points_badges_rank_impact_and_stories(client, amy):
    kit = KitFactory(title="Cherry summer")
    client.force_login(amy.user)
    link = amy.links.get(kit=kit)  # made with the kit
    impact(link, clicks=3, flagged=2, conversions=1, held=1)
    activity_record(membership=amy, kind="share", key="https://social.example/amy/1")
    story_submit(membership=amy, title="My cherry story", body="Body.")
    shout_out_post(message="Great work on the launch, Amy!", membership=amy)
    shout_out_post(message="Thank you, everyone!")
    shout_out_post(message="For someone else only", membership=MembershipFactory())

    body = client.get(reverse("advocacy:portal")).content.decode()

    assert "Cherry summer" in body
    assert f"/r/{link.code}" in body
    assert "Copy link" in body
    assert "3 clicks · 1 order on your link" in body  # flagged clicks and held orders left out
    assert 'data-testid="points-month">5<' in body
    assert "First share" in body
    assert "#1" in body
    assert "My cherry story" in body
    assert "Waiting for review" in body
    assert "Great work on the launch, Amy!" in body
    assert "Thank you, everyone!" in body
    assert "For someone else only" not in body


def test_the_home_lists_recently_published_stories(client, amy):
    story_publish(story=story_submit(membership=MembershipFactory(), title="A fresh story", body="Body."))
    client.force_login(amy.user)
    body = client.get(reverse("advocacy:portal")).content.decode()
    assert "A fresh story" in body


def test_an_ambassador_without_a_membership_gets_a_friendly_page(client, login):
    login(client, "ada.admin")
    for name in ("advocacy:portal", "advocacy:activity", "advocacy:story_new"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "You are not a member of the program" in response.content.decode()


def test_the_home_query_count_does_not_grow_with_kits_or_members(client, amy, django_assert_max_num_queries):
    for n in range(4):
        KitFactory()
        other = MembershipFactory()
        activity_record(membership=other, kind="share", key=f"https://social.example/{n}")
        shout_out_post(message=f"Shout-out {n}", membership=amy)
        story_publish(story=story_submit(membership=other, title=f"Story {n}", body="Body."))
    activity_record(membership=amy, kind="share", key="https://social.example/amy")
    client.force_login(amy.user)
    client.get(reverse("advocacy:portal"))  # links are made on the first visit

    # user, membership, impact, kits + posts + assets + links, leaderboards ×2, badges, shout-outs,
    # new stories, points ×2, own stories, and the navigation's two permission reads: 17, however many
    with django_assert_max_num_queries(17):
        response = client.get(reverse("advocacy:portal"))
    assert response.status_code == 200


def test_program_managers_post_a_shout_out_to_one_member(client, amy, login):
    login(client, "ana.insights")
    page = client.get(reverse("advocacy:shout_outs")).content.decode()
    assert amy.user.name in page  # the member list

    client.post(reverse("advocacy:shout_outs"), {"membership": amy.pk, "message": "You rock, Amy."})
    shout = ShoutOut.objects.get()
    assert shout.membership == amy
    assert shout.by.email == "ana.insights@carlssoda.example"


def test_an_ambassador_cannot_post_a_shout_out(client, amy):
    client.force_login(amy.user)
    assert client.post(reverse("advocacy:shout_outs"), {"message": "Me!"}).status_code == 403
    assert not ShoutOut.objects.exists()
