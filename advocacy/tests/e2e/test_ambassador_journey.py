"""An ambassador logs a share, sees points and a badge, submits a story; a manager publishes it for everyone."""

import pytest

from advocacy.models import Story
from advocacy.services.activities import activity_record
from advocacy.services.recognition import shout_out_post
from advocacy.tests.factories import KitFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ambassador_earns_points_and_a_badge_and_a_manager_publishes_their_story(
    page, browser, live_server, sign_in, make_user, channels, screenshot
):
    KitFactory(title="Cherry summer", message="Our cherry soda is back. Tell your friends!")
    amy = MembershipFactory(user=make_user("amy.ambassador"))
    rival = MembershipFactory(user=make_user(name="Ben Ruiz", email="ben@customers.example"))
    activity_record(membership=rival, kind="review", key="https://reviews.example/ben/1")
    shout_out_post(message="Welcome aboard, everyone: summer starts now!")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    sign_in(amy.user)
    page.goto("/ambassador/")
    page.get_by_role("heading", name="Open share kits").wait_for()
    page.get_by_role("button", name="Copy your link for Cherry summer").click()
    page.get_by_role("button", name="Copy your link for Cherry summer").filter(has_text="Copied").wait_for()
    assert "/r/" in page.evaluate("navigator.clipboard.readText()")
    screenshot(page, "home-before")

    page.get_by_role("link", name="I shared this").click()
    page.get_by_label("Post URL").fill("https://x.com/amy/status/1790000000000000001")
    assert page.get_by_label("Share kit").input_value() != ""  # the kit came along from the home
    page.get_by_role("button", name="Log my share").click()
    page.get_by_text("Thank you! +5 points.").wait_for()
    page.get_by_text("New badge: First share!").wait_for()
    screenshot(page, "activity")

    page.get_by_role("link", name="Home").click()
    assert page.get_by_test_id("points-month").inner_text() == "5"
    assert page.get_by_text("First share", exact=True).is_visible()
    assert page.get_by_text("Welcome aboard, everyone: summer starts now!").is_visible()
    screenshot(page, "home-after")

    page.get_by_role("link", name="Leaderboard").click()
    page.locator("tr[aria-current=true]", has_text="Amy C.").wait_for()
    assert "#2" in page.locator("tr[aria-current=true]").inner_text()  # Ben's review is worth more
    screenshot(page, "leaderboard")

    page.get_by_role("link", name="My stories").click()
    page.get_by_label("Title").fill("Cherry floats at the lake")
    page.get_by_label("Your story").fill("Every summer we make cherry floats at the lake. This year, with Carl's.")
    screenshot(page, "story-new")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("is with the program team for review").wait_for()
    screenshot(page, "story-submitted")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto("/ambassador/")
    screenshot(page, "home-phone")
    page.goto("/ambassador/privacy/")
    screenshot(page, "privacy")
    page.get_by_role("link", name="Ask for erasure…").click()
    screenshot(page, "privacy-erase")

    manager = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}).new_page()
    ana = make_user("ana.insights")
    manager.goto("/accounts/login/")
    manager.get_by_label("Email").fill(ana.email)
    manager.get_by_label("Password").fill("carls-soda-demo")
    manager.get_by_role("button", name="Sign In").click()
    manager.wait_for_url(lambda url: "/accounts/login/" not in url)
    manager.goto("/program/stories/")
    manager.get_by_role("heading", name="Waiting (1)").wait_for()
    screenshot(manager, "review")
    manager.get_by_role("button", name="Publish “Cherry floats at the lake”").click()
    manager.get_by_text("“Cherry floats at the lake” is published.").wait_for()
    manager.goto("/program/shout-outs/")
    manager.get_by_label("Send to").select_option(label="Amy Castillo (amy.ambassador@example.net)")
    manager.get_by_label("Message").fill("Amy, your cherry floats story is lovely. Thank you!")
    manager.get_by_role("button", name="Post").click()
    manager.get_by_text("Shout-out posted.").wait_for()
    screenshot(manager, "shout-outs")
    assert Story.objects.get().status == Story.Status.PUBLISHED

    visitor = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}).new_page()
    visitor.goto("/stories/")
    visitor.get_by_role("link", name="Cherry floats at the lake").click()
    visitor.get_by_text("Story by Amy ·").wait_for()
    assert "Castillo" not in visitor.content()
    screenshot(visitor, "public-story")
    visitor.goto("/stories/")
    screenshot(visitor, "public-stories")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/ambassador/")
    page.get_by_text("Amy, your cherry floats story is lovely. Thank you!").wait_for()
    assert page.get_by_test_id("points-all").inner_text() == "35"  # 5 for the share, 30 for the story
    assert page.get_by_text("Published author", exact=True).is_visible()
    screenshot(page, "home-published")

    page.get_by_role("link", name="My data").click()
    page.get_by_role("link", name="Ask for erasure…").click()
    page.get_by_label("Type your email address to confirm").fill("amy.ambassador@example.net")
    page.get_by_role("button", name="Erase my personal data").click()
    page.get_by_role("heading", name="Your personal data is erased").wait_for()
    screenshot(page, "erased")
    assert page.get_by_role("link", name="Sign in").is_visible()  # signed out
    visitor.goto("/stories/")
    visitor.get_by_text("Story by a former ambassador").wait_for()


def test_an_admin_without_a_membership_sees_a_friendly_portal(page, sign_in, make_user, screenshot):
    sign_in(make_user("ada.admin"))
    page.goto("/ambassador/")
    page.get_by_role("heading", name="You are not a member of the program").wait_for()
    screenshot(page, "no-membership")
