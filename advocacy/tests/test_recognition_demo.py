"""The demo data for recognition: invented, for the given members, and safe to load twice."""

import pytest

from advocacy.demo import demo_recognition_seed
from advocacy.models import Activity, BadgeAward, ShoutOut, Story
from advocacy.selectors.recognition import leaderboard
from advocacy.tests.factories import KitFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def counts():
    return (
        Activity.objects.count(),
        Story.objects.count(),
        Story.objects.filter(status="published").count(),
        BadgeAward.objects.count(),
        ShoutOut.objects.count(),
    )


def test_the_demo_seed_makes_recognition_data_once(channels):
    KitFactory()
    members = [MembershipFactory() for _ in range(3)]

    demo_recognition_seed(members)
    first = counts()
    demo_recognition_seed(members)

    assert counts() == first
    activities, stories, published, badges, shout_outs = first
    assert activities > 0
    assert stories == 4
    assert published == 2
    assert badges > 0
    assert shout_outs == 2
    assert Story.objects.filter(status="declined").exists()
    assert [row.rank for row in leaderboard("all")][:1] == [1]
