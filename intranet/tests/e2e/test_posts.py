"""In Chromium: (a) a new employee signs up with a work address, fills their profile with a photo, posts with an
@mention that a colleague reads in their notifications, submits an idea that colleagues vote up, and the idea's
owner moves it to planned; (b) an employee reports a post, a moderator hides it from the queue with a reason,
and its author reads the reason. Every page fits a 390 px phone and a 1366 px laptop."""

import re

import pytest
from django.core import mail
from PIL import Image

from intranet.tests.factories import employee, idea_manager
from intranet.tests.post_factories import make_post, moderator, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Cherry-fizz-on-line-3"


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def portrait(tmp_path):
    path = tmp_path / "portrait.jpg"
    Image.new("RGB", (900, 700), (30, 120, 60)).save(path, "JPEG")
    return path


def test_a_new_employee_joins_posts_with_a_mention_and_sees_their_idea_planned(
    open_page, sign_in, phone, portrait, screenshot
):
    colleague = person("colm.reader", "Colm Reader")
    voter = employee(name="Vera Voter")
    owner = idea_manager(name="Oona Owner")

    # Sign up with a work address, confirm it from the email, sign in.
    newcomer = open_page(viewport=LAPTOP)
    newcomer.goto("/accounts/signup/")
    newcomer.get_by_label("Full name").fill("Nia Okafor")
    newcomer.get_by_label("Email").fill("nia.okafor@carlssoda.example")
    newcomer.get_by_label("Password", exact=True).fill(PASSWORD)
    newcomer.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    newcomer.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    newcomer.wait_for_url(lambda url: "/signup/" not in url)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    newcomer.goto(re.sub(r"^https?://[^/]+", "", link))
    newcomer.get_by_role("button", name="Confirm").click()
    newcomer.goto("/accounts/login/")
    if "/accounts/login/" in newcomer.url:
        newcomer.get_by_label("Email").fill("nia.okafor@carlssoda.example")
        newcomer.get_by_label("Password").fill(PASSWORD)
        newcomer.get_by_role("button", name="Sign In").click()
    newcomer.goto("/intranet/")
    newcomer.get_by_role("heading", name="Welcome, Nia").wait_for()

    # The profile, with a photo.
    newcomer.get_by_role("link", name="My profile").click()
    newcomer.get_by_role("textbox", name="Job title").fill("Flavour chemist")
    newcomer.get_by_label(re.compile("^Photo")).set_input_files(str(portrait))
    newcomer.get_by_role("button", name="Save my profile").click()
    newcomer.get_by_text("Your profile is saved.").wait_for()
    assert newcomer.get_by_role("img", name="Photo of Nia Okafor").is_visible()

    # A post with an @mention (and a script that must not run).
    newcomer.goto("/intranet/")
    newcomer.get_by_role("link", name="Company feed").click()
    newcomer.get_by_label("Your post").fill(
        "Hello from the lab! **Cherry Fizz** batch 12 is ready, @colm.reader.\n\n<script>alert('fizz')</script>"
    )
    newcomer.get_by_role("button", name="Post", exact=True).click()
    newcomer.get_by_text("Your post is up.").wait_for()
    post = newcomer.locator("article.post").first
    assert post.get_by_role("link", name="@Colm Reader").is_visible()
    assert "<script>alert('fizz')</script>" in post.inner_text()  # shown as text, never run
    assert fits(newcomer)
    screenshot(newcomer, "feed-laptop")

    # The colleague hears of it on a phone.
    sign_in(colleague, on=phone)
    phone.goto("/notifications/")
    phone.get_by_role("link", name="Nia Okafor mentioned you in a post.").click()
    phone.wait_for_url(re.compile(r"/intranet/posts/\d+/$"))
    phone.get_by_text("batch 12 is ready").wait_for()
    phone.get_by_role("button", name="Celebrate").click()
    phone.get_by_role("button", name="Celebrate 1").wait_for()
    assert fits(phone)
    screenshot(phone, "post-phone")
    phone.goto("/intranet/feed/")
    assert fits(phone)
    screenshot(phone, "feed-phone")

    # An idea, voted up, moved to planned by its owner.
    newcomer.goto("/intranet/ideas/new/")
    newcomer.get_by_label("Title").fill("Cherry Fizz tasting Fridays")
    newcomer.get_by_label("Description").fill("Taste each batch with the line team.")
    newcomer.get_by_role("button", name="Submit the idea").click()
    newcomer.get_by_text("Your idea is in").wait_for()
    idea_url = newcomer.url
    for on in (phone, sign_in(voter, on=open_page(viewport=LAPTOP))):  # the colleague is signed in already
        on.goto(idea_url)
        on.get_by_role("button", name="Vote for it").click()
        on.get_by_text("Thank you for your vote.").wait_for()
    manager = sign_in(owner, on=open_page(viewport=LAPTOP))
    manager.goto(idea_url)
    assert manager.locator("#vote-count").inner_text() == "2 votes"
    manager.get_by_label("Status").select_option(label="Planned")
    manager.get_by_role("button", name="Save the status").click()
    manager.get_by_text("Status saved").wait_for()

    newcomer.goto("/notifications/")
    newcomer.get_by_role("link", name="Idea “Cherry Fizz tasting Fridays” is now planned.").click()
    newcomer.wait_for_url(idea_url)
    assert newcomer.locator("#idea-status").inner_text() == "Planned"


def test_a_reported_post_is_hidden_by_a_moderator_and_its_author_reads_why(open_page, sign_in, phone, screenshot):
    author = person("ines.author", "Ines Author")
    reporter = person("colm.reader", "Colm Reader")
    mo = moderator()
    post = make_post(author, text="The night shift is lazy, and here is Sam's home phone: 555-0100")

    page = sign_in(reporter, on=phone)
    page.goto("/intranet/feed/")
    page.get_by_role("link", name="0 comments").click()
    page.get_by_role("link", name="Report").click()
    page.get_by_label("What is wrong with it?").fill("It shares a colleague's home phone number.")
    assert fits(page)
    screenshot(page, "report-phone")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Thank you: moderators will look at it.").wait_for()

    for viewport, name in ((LAPTOP, "queue-laptop"), (None, "queue-phone")):
        queue = sign_in(
            mo,
            on=open_page(viewport=viewport)
            if viewport
            else open_page(viewport={"width": 390, "height": 844}, is_mobile=True),
        )
        queue.goto("/intranet/moderation/")
        item = queue.get_by_role("region", name="Reported post by Ines Author")
        assert "home phone number" in item.inner_text()
        assert fits(queue)
        screenshot(queue, name)
    item.get_by_label("Reason to hide it").fill("Personal phone numbers stay private.")
    item.get_by_role("button", name="Hide").click()
    queue.get_by_text("Hidden; its author sees your reason.").wait_for()
    queue.get_by_text("No open reports.").wait_for()

    mine = sign_in(author, on=open_page(viewport=LAPTOP))
    mine.goto(f"/intranet/posts/{post.pk}/")
    notice = mine.locator(".hidden-notice")
    assert "Personal phone numbers stay private." in notice.inner_text()
    assert "555-0100" in mine.locator("article.post").inner_text()  # the author still reads it
    assert fits(mine)
    screenshot(mine, "author-post-laptop")
    mine.goto("/notifications/")
    mine.get_by_role("link", name="A moderator hid your post: Personal phone numbers stay private.").wait_for()
    assert fits(mine)
    screenshot(mine, "author-laptop")

    page.goto(f"/intranet/posts/{post.pk}/")
    page.get_by_text("This post was hidden by a moderator.").wait_for()
    assert "555-0100" not in page.content()
    assert page.get_by_label("Comment", exact=True).count() == 0


# The width of a picture once it has loaded (0 if it fails to).
LOADED_WIDTH = """img => img.complete ? img.naturalWidth :
    new Promise(done => { img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); })"""


def test_a_group_is_started_and_gets_a_post_with_an_image_on_a_phone_and_a_laptop(
    open_page, sign_in, phone, portrait, screenshot
):
    starter = person("mei.design", "Mei Tanaka")
    sign_in(starter, on=phone)
    phone.goto("/intranet/groups/")
    phone.get_by_role("link", name="Start a group").click()
    phone.get_by_label("Name").fill("Portland bottling plant")
    phone.get_by_label("Description").fill("Shifts, line news and who brought doughnuts.")
    phone.get_by_role("button", name="Start the group").click()
    phone.get_by_text("“Portland bottling plant” is open").wait_for()
    phone.get_by_label("Your post").fill("Line 3 is back after the filler upgrade: **18 % faster**.")
    phone.get_by_label(re.compile("^Images")).set_input_files(str(portrait))
    phone.get_by_role("button", name="Post", exact=True).click()
    phone.get_by_text("Your post is up.").wait_for()
    image = phone.get_by_role("img", name="Image 1 of the post by Mei Tanaka")
    assert image.evaluate(LOADED_WIDTH) == 900
    assert fits(phone)
    screenshot(phone, "group-feed-phone")

    laptop = sign_in(person("dario.design", "Dario Vance"), on=open_page(viewport=LAPTOP))
    laptop.goto("/intranet/groups/")
    laptop.get_by_role("link", name="Portland bottling plant").click()
    laptop.get_by_role("button", name="Join the group").click()
    laptop.get_by_text("You joined").wait_for()
    assert laptop.get_by_label("Your post").is_visible()
    assert fits(laptop)
    screenshot(laptop, "group-feed-laptop")
    laptop.goto("/intranet/groups/")
    assert "2 members · 1 post" in laptop.locator("#groups").inner_text()
    assert fits(laptop)
    screenshot(laptop, "groups-laptop")
