"""In Chromium: an employee submits an idea, a colleague votes it up, the owner who manages ideas moves it to
planned, and the author reads the notification; the pages fit a 390 px phone."""

import pytest

from intranet.tests.factories import employee, idea_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def test_an_idea_is_submitted_voted_up_and_planned_and_its_author_hears_of_it(open_page, sign_in, phone, screenshot):
    author, colleague = employee(name="Ines Author"), employee(name="Colm Voter")
    owner = idea_manager(name="Oona Owner")

    page = sign_in(author, on=open_page(viewport=LAPTOP))
    page.goto("/intranet/ideas/new/")
    page.get_by_label("Title").fill("Cold brew cherry fizz <b>now</b>")
    page.get_by_label("Description").fill("A cold brew base for the cherry line.")
    page.get_by_label("Category").select_option(label="Product and flavours")
    page.get_by_role("button", name="Submit the idea").click()
    page.get_by_text("Your idea is in").wait_for()
    assert page.get_by_role("heading", name="Cold brew cherry fizz <b>now</b>").is_visible()  # shown as text
    idea_url = page.url

    voter = sign_in(colleague, on=phone)
    voter.goto("/intranet/ideas/?sort=new")
    voter.get_by_role("link", name="Cold brew cherry fizz <b>now</b>").click()
    voter.get_by_role("button", name="Vote for it").click()
    voter.get_by_text("Thank you for your vote.").wait_for()
    assert voter.locator("#vote-count").inner_text() == "1 vote"
    assert voter.get_by_role("button", name="Take my vote back").is_visible()
    assert fits(voter)
    screenshot(voter, "voted-on-a-phone")
    voter.goto("/intranet/ideas/")
    assert fits(voter)

    manager = sign_in(owner, on=open_page(viewport=LAPTOP))
    manager.goto(idea_url)
    manager.get_by_label("Status").select_option(label="Planned")
    manager.get_by_label("Official response").fill("Trials start in the Leeds plant in May.")
    manager.get_by_role("button", name="Save the status").click()
    manager.get_by_text("Status saved").wait_for()
    assert manager.locator("#idea-status").inner_text() == "Planned"
    assert "Trials start in the Leeds plant in May." in manager.locator("#official-response").inner_text()

    page.goto("/notifications/")
    page.get_by_role("link", name="Idea “Cold brew cherry fizz <b>now</b>” is now planned.").click()
    page.wait_for_url(idea_url)
    page.locator("#idea-history").get_by_text("new → planned").wait_for()
