"""An ambassador copies their referral link from a kit; a friend follows it; staff see the click counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy.models import Kit, ReferralClick
from advocacy.services.referrals import conversion_record, suggested_post_add
from advocacy.tests.factories import KitFactory, MembershipFactory, ReferralLinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIEND_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def test_an_ambassador_copies_a_link_a_friend_follows_it_and_staff_see_the_click(
    page, browser, live_server, sign_in, make_user, channels, screenshot
):
    amy = MembershipFactory(user=make_user("amy.ambassador"))
    ana = make_user("ana.insights")
    # The shop is stood in for by a page of the live server: the test runs offline.
    kit = KitFactory(title="Cherry Summer launch", campaign="cherry-summer",
                     target_url=f"{live_server.url}/accounts/login/?size=12oz")  # fmt: skip
    suggested_post_add(kit=kit, channel=channels[0], text="Cherry is back for the summer!")

    sign_in(amy.user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"/ambassador/kits/{kit.pk}/")
    page.get_by_role("heading", name="Cherry Summer launch").wait_for()
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Copied to the clipboard.").wait_for()
    screenshot(page, "ambassador-kit")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_role("textbox", name="Your personal link").input_value()
    assert copied.startswith(f"{live_server.url}/r/")
    page.get_by_role("button", name="Copy the X / Twitter post").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"Cherry is back for the summer! {copied}?ch=twitter"

    # A friend opens the link in their own browser (a headless browser would count as a bot).
    friend = browser.new_context(user_agent=FRIEND_BROWSER)
    visit = friend.new_page()
    answer = visit.goto(copied)
    code = copied.rsplit("/", 1)[-1]
    assert answer.ok
    assert answer.request.redirected_from.url == copied
    assert visit.url.startswith(f"{live_server.url}/accounts/login/?size=12oz&")
    assert f"utm_content={code}" in visit.url
    assert "utm_source=ambassador" in visit.url
    friend.close()
    assert ReferralClick.objects.filter(link__code=code).count() == 1

    # A shop order through the link, and one the ambassador placed themself (held for review).
    conversion_record(code=code, order_id="CS-1001", customer_ref="friend-1", amount="18.50", currency="USD")
    conversion_record(code=code, order_id="CS-1002", customer_ref="amy", customer_email=amy.user.email)

    page.context.clear_cookies()
    sign_in(ana)
    page.goto("/program/referrals/")
    assert page.get_by_test_id("total-clicks").inner_text() == "1"
    assert page.get_by_test_id("total-conversions").inner_text() == "1"
    row = page.locator("#kit-performance tr", has_text="Cherry Summer launch")
    assert row.locator("td").nth(1).inner_text() == "1"  # clicks
    page.locator("canvas").first.wait_for()
    screenshot(page, "report")

    page.get_by_role("link", name="Fraud review").click()
    page.get_by_role("cell", name="CS-1002", exact=True).wait_for()
    screenshot(page, "review")
    page.get_by_role("button", name="Approve order CS-1002").click()
    page.get_by_role("heading", name="Approve order CS-1002?").wait_for()  # it asks first
    screenshot(page, "review-confirm")
    page.get_by_role("button", name="Approve order CS-1002").click()
    page.get_by_text("Order CS-1002 approved.").wait_for()

    page.get_by_role("link", name="Share kits").click()
    screenshot(page, "kits")
    page.get_by_role("link", name="Cherry Summer launch").click()
    page.get_by_role("heading", name="Kit “Cherry Summer launch”").wait_for()
    screenshot(page, "kit-edit")
    page.goto("/program/kits/new/")
    page.get_by_label("Title").fill("Store tasting day")
    page.get_by_label("Message").fill("Free tastings at the Riverside store.")
    page.get_by_label("Target URL").fill("https://www.carlssoda.example/events")
    page.get_by_label("Campaign").fill("riverside-tasting")
    page.get_by_label("Starts on").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    page.get_by_label("Ends on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Create kit").click()
    page.get_by_text("The kit ends before it starts").wait_for()
    screenshot(page, "kit-error")
    assert not Kit.objects.filter(campaign="riverside-tasting").exists()


def test_a_customer_with_a_bad_or_ended_link_lands_on_the_brands_site(browser, live_server, settings, screenshot):
    # The brand's site is stood in for by a public page of the live server: the test runs offline.
    settings.ADVOCACY_FALLBACK_URL = f"{live_server.url}/stories/?from=referral"
    ended = KitFactory(
        starts_on=timezone.localdate() - timedelta(days=30), ends_on=timezone.localdate() - timedelta(days=1)
    )
    link = ReferralLinkFactory(kit=ended, code="Ended123")
    customer = browser.new_context(user_agent=FRIEND_BROWSER)
    visit = customer.new_page()

    for code in ["NotACode", "cut-shor", link.code]:
        answer = visit.goto(f"{live_server.url}/r/{code}")
        assert answer.ok
        assert visit.url == settings.ADVOCACY_FALLBACK_URL
        assert visit.get_by_text("Go to your home page").count() == 0
        assert "/accounts/login/" not in visit.url
    screenshot(visit, "brand-site")
    customer.close()
    assert ReferralClick.objects.count() == 0
