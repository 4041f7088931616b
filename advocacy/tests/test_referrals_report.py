"""The referral report, the fraud review of click floods, the dashboard's totals and the demo data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy.demo import demo_referrals_seed
from advocacy.models import Activity, Conversion, Kit, ReferralClick, ReferralLink
from advocacy.selectors.referrals import kit_performance, referral_totals
from advocacy.services.referrals import conversion_record
from advocacy.tests.factories import MembershipFactory, ReferralLinkFactory

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"


@pytest.fixture
def link(channels):
    return ReferralLinkFactory(code="Amy12345")


@pytest.fixture
def manager(client, login):
    login(client, "ana.insights")
    return client


def clicks(client, code, n, *, ch="", first=0):
    for i in range(first, first + n):
        client.get(f"/r/{code}", {"ch": ch} if ch else {}, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"198.51.100.{i}")


def test_the_report_shows_counted_clicks_and_conversions_per_kit_and_channel(manager, link, settings):
    clicks(manager, link.code, 3, ch="twitter")
    clicks(manager, link.code, 1, first=10)
    conversion_record(code=link.code, order_id="A-1", customer_ref="kim", channel="twitter")
    conversion_record(code=link.code, order_id="A-2", customer_ref="x", customer_email=link.membership.user.email)

    response = manager.get("/program/referrals/")

    assert response.status_code == 200
    assert response.context["totals"] == {"clicks": 4, "conversions": 1, "returning_customers": 0}
    row = next(r for r in response.context["kits"] if r["kit"] == link.kit)
    assert (row["clicks"], row["conversions"]) == (4, 1)
    assert row["channels"] == [
        {"name": "X / Twitter", "clicks": 3, "conversions": 1},
        {"name": "Not said", "clicks": 1, "conversions": 0},
    ]
    html = response.content.decode()
    assert "1 conversion held for review is not counted" in html
    assert "chartkick/Chart.bundle.js" in html
    assert "Counted clicks" in html


def test_the_report_costs_the_same_queries_with_more_kits(manager, link, django_assert_max_num_queries):
    manager.get("/program/referrals/")  # warm the session and role caches
    with django_assert_max_num_queries(14):
        manager.get("/program/referrals/")
    for _ in range(4):
        ReferralLinkFactory(membership=link.membership)
    with django_assert_max_num_queries(14):
        manager.get("/program/referrals/")


def test_a_flood_is_grouped_per_code_and_hour_and_approving_counts_it(manager, link, settings):
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 2
    clicks(manager, link.code, 5)
    assert referral_totals()["clicks"] == 2

    page = manager.get("/program/referrals/review/")
    flood = page.context["floods"][0]
    assert (flood["link"], flood["clicks"]) == (link, 3)

    manager.post(f"/program/referrals/review/floods/{link.pk}", {"hour": flood["hour"].isoformat(),
                                                                 "action": "approve", "confirm": "1"})  # fmt: skip
    assert referral_totals()["clicks"] == 5
    assert Activity.objects.filter(kind="click", held=True).count() == 0


def test_rejecting_a_flood_keeps_it_out_for_good(manager, link, settings):
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 2
    clicks(manager, link.code, 5)
    hour = manager.get("/program/referrals/review/").context["floods"][0]["hour"]

    form = {"hour": hour.isoformat(), "action": "reject"}
    asked = manager.post(f"/program/referrals/review/floods/{link.pk}", form)
    assert b"Reject the 3 clicks" in asked.content
    assert ReferralClick.objects.count() == 5
    manager.post(f"/program/referrals/review/floods/{link.pk}", form | {"confirm": "1"})

    assert referral_totals()["clicks"] == 2
    assert ReferralClick.objects.count() == 2
    assert Activity.objects.filter(kind="click").count() == 2
    assert manager.get("/program/referrals/review/").context["floods"] == []


def test_referral_totals_take_a_range(link):
    now = timezone.now()
    conversion_record(code=link.code, order_id="old", customer_ref="kim", ordered_at=now - timedelta(days=40))
    conversion_record(code=link.code, order_id="new", customer_ref="kim", ordered_at=now)

    last_month = referral_totals(timezone.localdate() - timedelta(days=29), timezone.localdate())

    assert last_month == {"clicks": 0, "conversions": 1, "returning_customers": 1}
    assert referral_totals(start=now - timedelta(days=50), end=now - timedelta(days=30))["conversions"] == 1
    assert kit_performance()[0]["returning"] == 1


def test_the_demo_seed_is_invented_and_idempotent(channels):
    members = [MembershipFactory() for _ in range(3)]

    first = demo_referrals_seed(members)
    counts = (Kit.objects.count(), ReferralLink.objects.count(), ReferralClick.objects.count(),
              Conversion.objects.count(), Activity.objects.count())  # fmt: skip
    second = demo_referrals_seed(members)

    assert first["kits"] == 3
    assert 300 <= first["clicks"] <= 400
    assert 30 <= first["conversions"] <= 60
    assert second == {"kits": 0, "clicks": 0, "conversions": 0}
    assert counts == (
        Kit.objects.count(),
        ReferralLink.objects.count(),
        ReferralClick.objects.count(),
        Conversion.objects.count(),
        Activity.objects.count(),
    )
    assert Conversion.objects.filter(review="held", flags=["self_referral"]).count() == 1
    assert Conversion.objects.filter(is_returning=True).count() >= 2
    assert ReferralClick.objects.filter(at__lt=timezone.now() - timedelta(days=90)).count() == 0
