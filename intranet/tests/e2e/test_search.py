"""In Chromium: an employee searches the intranet from its home page, reads the results grouped by kind,
opens one kind; a new notification shows in the navigation without a reload. Pages fit a 390 px phone."""

import pytest

from accounts.services import notify
from intranet.markup import markdown_render
from intranet.models import Post
from intranet.services import profile_update
from intranet.tests.factories import employee, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def test_an_employee_searches_posts_ideas_and_people(open_page, sign_in, phone, screenshot):
    searcher, poster = employee(name="Sade Seeker"), employee(name="Pim Poster")
    for text in (
        "The **ginger fizz** tasting is on Friday in the Leeds canteen. <script>alert(1)</script>",
        "Ginger fizz sold out at the Bristol store again: a longer sentence that must wrap on a phone screen.",
    ):
        Post.objects.create(author=poster, text=text, html=markdown_render(text))
    make_idea(author=poster, title="Ginger fizz in cans", description="Cans travel better than bottles.")
    profile_update(user=employee(name="Greta Brewer"), title="Brewer", skills="ginger")

    page = sign_in(searcher, on=open_page(viewport=LAPTOP))
    page.goto("/intranet/")
    page.get_by_label("Search posts, ideas and people").fill("ginger fizz")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/intranet/search/?q=ginger+fizz")
    assert page.get_by_role("heading", name="Posts (2)").is_visible()
    assert page.get_by_role("heading", name="Ideas (1)").is_visible()
    assert page.locator("mark").first.is_visible()
    assert page.get_by_role("link", name="Ginger fizz in cans").is_visible()
    screenshot(page, "results-laptop")

    page.locator("#kind-ideas").click()
    page.get_by_role("link", name="Ginger fizz in cans").click()
    page.wait_for_url("**/intranet/ideas/*/")

    pg = sign_in(searcher, on=phone)
    pg.goto("/intranet/search/?q=ginger")
    pg.get_by_role("heading", name="People (1)").wait_for()
    assert pg.get_by_role("link", name="Greta Brewer").is_visible()
    assert fits(pg)
    screenshot(pg, "results-phone")
    pg.goto("/intranet/search/?q=ginger&kind=posts")
    assert fits(pg)
    screenshot(pg, "posts-phone")


def test_a_new_notification_shows_in_the_navigation_without_a_reload(open_page, sign_in, settings, screenshot):
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    eli = employee(name="Eli Waiting")
    page = sign_in(eli, on=open_page(viewport=LAPTOP))
    page.goto("/intranet/")
    assert "unread" not in page.locator("#nav-notifications").inner_text()

    notify(users=[eli], text="Nora mentioned you in a post", url="/intranet/")

    page.locator("#nav-notifications #unread-count").wait_for(timeout=5_000)
    assert page.locator("#nav-notifications").inner_text().startswith("Notifications 1")
    screenshot(page, "badge")


def test_an_employee_opts_in_to_the_daily_digest(open_page, sign_in, phone, screenshot):
    eli = employee(name="Eli Digest")
    notify(users=[eli], text="Your idea “Ginger fizz in cans” has a new vote", url="/intranet/")
    pg = sign_in(eli, on=phone)
    pg.goto("/notifications/")
    pg.get_by_label("Email me a daily digest of the notifications I have not read").check()
    pg.locator("#digest-form").get_by_role("button", name="Save").click()
    pg.get_by_text("You will get a daily email").wait_for()
    assert pg.get_by_label("Email me a daily digest of the notifications I have not read").is_checked()
    assert fits(pg)
    screenshot(pg, "digest-phone")
    eli.refresh_from_db()
    assert eli.notification_digest

    laptop = sign_in(eli, on=open_page(viewport=LAPTOP))
    laptop.goto("/notifications/")
    assert fits(laptop)
    screenshot(laptop, "digest-laptop")
