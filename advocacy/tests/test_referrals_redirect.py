"""`/r/<code>`: a visitor follows an ambassador's link, and the click is counted once, privately."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from advocacy.models import Activity, ReferralClick
from advocacy.selectors.recognition import points_for
from advocacy.selectors.referrals import click_floods_held
from advocacy.services.membership import membership_end
from advocacy.services.referrals import click_flood_review
from advocacy.tasks import badges_refresh_task
from advocacy.tests.factories import KitFactory, ReferralLinkFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture
def link(channels):
    kit = KitFactory(target_url="https://shop.carlssoda.example/cherry?size=12oz&utm_source=old", campaign="cherry")
    return ReferralLinkFactory(kit=kit, code="Cherry42")


def visit(client, code, *, ua=BROWSER, ip="203.0.113.7", method="get", **query):
    return getattr(client, method)(f"/r/{code}", query, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)


def test_it_redirects_to_the_target_with_utm_parameters(client, link):
    response = visit(client, link.code)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.netloc, location.path) == ("shop.carlssoda.example", "/cherry")
    assert parse_qs(location.query) == {
        "size": ["12oz"],  # the target's own parameter is kept
        "utm_source": ["ambassador"],  # ours replaces the target's utm_source
        "utm_medium": ["referral"],
        "utm_campaign": ["cherry"],
        "utm_content": ["Cherry42"],
    }
    assert response["Cache-Control"] == "private, no-store"


def test_a_visitor_is_counted_once_per_link_per_day(client, link):
    for _ in range(3):
        visit(client, link.code)
    visit(client, link.code, ip="198.51.100.9")  # another visitor
    visit(client, link.code, ua=PHONE)  # same address, another device: the same visitor

    assert ReferralClick.objects.count() == 2
    assert Activity.objects.filter(kind="click", held=False).count() == 2


def farmed_user_agent(n: int) -> str:
    return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0.{n}.0 Safari/537.36"


def test_farming_clicks_with_rotating_user_agents_from_one_address_earns_one_click(client, link, settings):
    """250 clicks in a minute from one address, each with another user agent: one click, one click's points."""
    for n in range(250):
        assert visit(client, link.code, ua=farmed_user_agent(n)).status_code == 302

    assert ReferralClick.objects.count() == 1
    assert points_for(link.membership) == settings.ADVOCACY_POINTS["click"]
    assert points_for(link.membership) <= settings.ADVOCACY_CLICK_POINTS_PER_DAY


def test_farming_many_links_of_one_member_from_one_address_is_held_for_review(client, link, settings):
    """Past ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY links of one member, one address's clicks are held."""
    settings.ADVOCACY_POINTS = settings.ADVOCACY_POINTS | {"click": 20}
    codes = [link.code] + [ReferralLinkFactory(membership=link.membership, kit=KitFactory()).code for _ in range(5)]
    other = ReferralLinkFactory(kit=link.kit)  # another member's link: not part of this member's count

    for n in range(250):
        visit(client, codes[n % len(codes)], ua=farmed_user_agent(n))
    visit(client, other.code)

    limit = settings.ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY
    farmed = ReferralClick.objects.filter(link__membership=link.membership)
    assert farmed.count() == len(codes)  # once per link and address
    assert farmed.filter(flagged=False).count() == limit
    assert farmed.filter(flagged=True).count() == len(codes) - limit
    assert not ReferralClick.objects.get(link=other).flagged
    assert points_for(link.membership) <= settings.ADVOCACY_CLICK_POINTS_PER_DAY
    assert [flood["link"].code for flood in click_floods_held()] == codes[limit:]


def test_a_member_earns_at_most_the_daily_cap_from_clicks(client, link, settings):
    settings.ADVOCACY_POINTS = settings.ADVOCACY_POINTS | {"click": 3}
    settings.ADVOCACY_CLICK_POINTS_PER_DAY = 50
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 1000
    for n in range(30):
        visit(client, link.code, ip=f"198.51.100.{n}")

    assert ReferralClick.objects.filter(flagged=False).count() == 30  # every click counts as traffic
    assert points_for(link.membership) == 50  # 16 clicks of 3 points, then 2, then nothing
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        visit(client, link.code, ip="198.51.100.1")
    assert points_for(link.membership) == 53  # a new day, a new cap


def test_approving_held_clicks_never_lifts_a_member_over_the_daily_cap(client, link, settings):
    settings.ADVOCACY_POINTS = settings.ADVOCACY_POINTS | {"click": 10}
    settings.ADVOCACY_CLICK_POINTS_PER_DAY = 50
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 3
    for n in range(8):
        visit(client, link.code, ip=f"198.51.100.{n}")
    assert points_for(link.membership) == 30

    flood = click_floods_held()[0]
    click_flood_review(link=link, hour=flood["hour"], approve=True)

    assert ReferralClick.objects.filter(flagged=False).count() == 8
    assert points_for(link.membership) == 50


def test_the_same_visitor_counts_again_the_next_day(client, link):
    visit(client, link.code)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        visit(client, link.code)
    assert ReferralClick.objects.count() == 2
    assert len(set(ReferralClick.objects.values_list("visitor_hash", flat=True))) == 2  # unlinkable across days


@pytest.mark.parametrize(
    "ua",
    [
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_redirected_but_never_counted(client, link, ua):
    response = visit(client, link.code, ua=ua)
    assert response.status_code == 302
    assert ReferralClick.objects.count() == 0
    assert Activity.objects.count() == 0


def test_a_head_request_is_not_counted(client, link):
    assert visit(client, link.code, method="head").status_code == 302
    assert ReferralClick.objects.count() == 0


def test_no_address_is_stored_and_no_session_is_made(client, link):
    response = visit(client, link.code, ip="203.0.113.77")

    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies
    assert Session.objects.count() == 0
    click = ReferralClick.objects.get()
    stored = " ".join(str(v) for row in ReferralClick.objects.values_list() for v in row)
    stored += " ".join(str(v) for row in Activity.objects.values_list() for v in row)
    assert "203.0.113.77" not in stored
    assert len(click.visitor_hash) == 64


def test_the_channel_comes_from_the_link(client, link):
    visit(client, link.code, ch="twitter")
    visit(client, link.code, ch="no-such-channel", ip="198.51.100.9")

    clicks = ReferralClick.objects.order_by("pk")
    assert [c.channel.slug if c.channel else None for c in clicks] == ["twitter", None]
    assert Activity.objects.filter(channel__slug="twitter").count() == 1


def test_clicks_beyond_the_hourly_limit_are_flagged_and_held(client, link, settings):
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 3
    for n in range(5):
        visit(client, link.code, ip=f"198.51.100.{n}")

    flags = list(ReferralClick.objects.order_by("pk").values_list("flagged", flat=True))
    assert flags == [False, False, False, True, True]
    assert Activity.objects.filter(kind="click", held=True).count() == 2


@pytest.mark.parametrize("code", ["Nope0000", "x" * 40, "Cherry4"])
def test_an_unknown_code_sends_visitors_to_the_brands_site_and_counts_nothing(client, link, settings, code):
    settings.ADVOCACY_FALLBACK_URL = "https://www.carlssoda.example/"

    response = visit(client, code)

    assert response.status_code == 302
    assert response["Location"] == "https://www.carlssoda.example/"
    assert response["Cache-Control"] == "private, no-store"
    assert link.code.encode() not in response.content
    assert ReferralClick.objects.count() == 0
    assert "sessionid" not in response.cookies


def test_an_ended_kit_sends_visitors_to_the_fallback_and_counts_nothing(client, link, settings):
    settings.ADVOCACY_FALLBACK_URL = "https://www.carlssoda.example/"
    link.kit.starts_on = timezone.localdate() - timedelta(days=30)
    link.kit.ends_on = timezone.localdate() - timedelta(days=1)
    link.kit.save()

    response = visit(client, link.code)

    assert response["Location"] == "https://www.carlssoda.example/"
    assert ReferralClick.objects.count() == 0


def test_an_alumni_members_link_still_redirects_but_counts_and_attributes_nothing(client, link):
    membership_end(membership=link.membership, kind="left", reason="Moved abroad")

    response = visit(client, link.code)

    assert response.status_code == 302
    assert "utm_content" not in response["Location"]
    assert "utm_campaign=cherry" in response["Location"]
    assert ReferralClick.objects.count() == 0


def test_a_counted_click_costs_few_queries(client, link, django_assert_max_num_queries):
    visit(client, link.code)  # warm caches (content types, channels)
    # ours: the lookup and one insert … on conflict; the ledger: get_or_create (3 + savepoints) and badges (5)
    with django_assert_max_num_queries(15):
        visit(client, link.code, ip="198.51.100.200")
    with django_assert_max_num_queries(4):  # a repeat: the lookup, the insert that does nothing, a savepoint pair
        visit(client, link.code, ip="198.51.100.200")


def test_clicks_earn_points_at_once_and_the_badges_they_complete_within_minutes(client, link, settings):
    settings.ADVOCACY_POINTS = settings.ADVOCACY_POINTS | {"click": 60}
    settings.ADVOCACY_CLICK_POINTS_PER_DAY = 120
    visit(client, link.code, ip="203.0.113.1")
    visit(client, link.code, ip="203.0.113.2")
    activities = Activity.objects.filter(membership=link.membership, kind="click")
    assert [(a.points, a.held, a.kit_id) for a in activities] == [(60, False, link.kit_id)] * 2
    assert not link.membership.badges.exists()  # the redirect stays fast: no badge check on its path

    assert badges_refresh_task.delay().get() == 1

    assert list(link.membership.badges.values_list("badge", flat=True)) == ["hundred-points"]
    assert badges_refresh_task.delay().get() == 0  # twice: nothing more


def test_the_badge_refresh_costs_the_same_queries_however_many_members(django_assert_num_queries, link):
    from advocacy.services.activities import badges_refresh
    from advocacy.tests.factories import MembershipFactory

    for _ in range(5):
        MembershipFactory()
    with django_assert_num_queries(3):  # members, their totals, the badges they hold (nothing new to insert)
        badges_refresh()


LEDGER_FIELDS = ["membership_id", "kind", "key", "kit_id", "channel_id", "url", "points", "held", "at"]


@pytest.mark.parametrize(
    ("flood_limit", "daily_cap"), [(1000, 50), (0, 50), (1000, 0)], ids=["counted", "flagged", "over-the-cap"]
)
def test_the_redirects_own_insert_writes_the_row_that_activity_record_would(
    client, link, settings, flood_limit, daily_cap
):
    """The redirect writes its ledger row in one statement, by hand, to stay fast: it must stay the
    row the ledger's one service writes for the same click (badges follow later, in badges_refresh)."""
    from advocacy.services.activities import activity_record

    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = flood_limit  # 0: every click is part of a flood, held
    settings.ADVOCACY_CLICK_POINTS_PER_DAY = daily_cap  # 0: clicks earn nothing
    visit(client, link.code, ch="twitter")
    click = ReferralClick.objects.get()
    by_redirect = Activity.objects.filter(kind="click").values(*LEDGER_FIELDS).get()

    Activity.objects.filter(kind="click").delete()
    activity_record(
        membership=link.membership, kind=Activity.Kind.CLICK, key=f"click:{click.pk}", at=click.at,
        kit=link.kit, channel=click.channel, held=click.flagged,
    )  # fmt: skip
    by_service = Activity.objects.filter(kind="click").values(*LEDGER_FIELDS).get()

    assert by_redirect == by_service
    assert by_redirect["channel_id"] is not None
    assert by_redirect["held"] is (flood_limit == 0)
    assert by_redirect["points"] == (1 if daily_cap else 0)
