"""The program's demo looks lived in (varied, long-tailed, spread over time) and loads once."""

from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from advocacy.demo import demo_program_seed
from advocacy.models import (
    Activity,
    BadgeAward,
    Conversion,
    Invitation,
    Kit,
    Membership,
    ReferralClick,
    ShoutOut,
    Story,
)
from advocacy.selectors.recognition import activity_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_users, channels):
    demo_program_seed()


def snapshot() -> dict:
    return {
        "activities": list(Activity.objects.order_by("pk").values_list("membership", "kind", "key", "points", "at")),
        "clicks": list(ReferralClick.objects.order_by("pk").values_list("link", "day", "visitor_hash", "at")),
        "orders": list(Conversion.objects.order_by("pk").values_list("order_id", "amount", "ordered_at", "review")),
        "stories": list(Story.objects.order_by("pk").values_list("title", "status", "submitted_at", "published_at")),
        "badges": list(BadgeAward.objects.order_by("pk").values_list("membership", "badge", "awarded_at")),
        "members": list(Membership.objects.order_by("pk").values_list("user", "status", "seat", "joined_at")),
        "invitations": list(Invitation.objects.order_by("pk").values_list("email", "status", "sent_at")),
        "shout_outs": list(ShoutOut.objects.order_by("pk").values_list("message", "at")),
        "kits": list(Kit.objects.order_by("pk").values_list("campaign", "starts_on", "ends_on")),
    }


def test_members_points_vary_with_a_long_tail(demo):
    active = Membership.objects.filter(status=Membership.Status.ACTIVE)
    points = sorted((t.points for t in activity_totals(active).values()), reverse=True)

    most_shared = Counter(points).most_common(1)[0][1]
    assert len(set(points)) >= len(points) * 0.6  # hardly two members alike
    assert most_shared <= 3
    assert points[0] >= 4 * points[len(points) // 2]  # a few very active members, many quieter ones
    assert sum(points[: len(points) // 5]) >= sum(points) * 0.4


def test_kits_clicks_orders_and_stories_are_spread_out(demo):
    per_kit = dict(Kit.objects.annotate(n=Count("links__clicks")).values_list("campaign", "n"))
    days = ReferralClick.objects.values("day").distinct().count()
    amounts = Conversion.objects.values("amount").distinct().count()
    stories = Story.objects.exclude(status=Story.Status.SUBMITTED).values_list("submitted_at", flat=True)
    published = Story.objects.filter(status=Story.Status.PUBLISHED).values_list("published_at", flat=True)
    today = timezone.localdate()

    assert len(set(per_kit.values())) == len(per_kit) >= 3  # every kit its own number of clicks
    assert days >= 45
    assert amounts >= 6
    assert all(timezone.localdate(at) < today for at in [*stories, *published])
    assert len({timezone.localdate(at) for at in published}) == len(published)
    assert ShoutOut.objects.exists()
    assert not ShoutOut.objects.filter(at__gte=timezone.now() - timezone.timedelta(days=1)).exists()
    assert BadgeAward.objects.dates("awarded_at", "day").count() >= 10  # earned over time, not all today


def test_the_demo_loads_twice_and_changes_nothing(demo):
    first = snapshot()

    demo_program_seed()

    assert snapshot() == first
