"""Staff triage a negative mention with the keyboard in Chromium: route it to customer service, open it, mark it
responded, and read both steps in its thread; the pages fit a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.models import Mention, Sentiment
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture
def queue(departments):
    TermFactory()
    texts = [
        "Carl's Soda cherry is great, love it!",
        "Is Carl's Soda sold in Leeds?",
        "My Carl's Soda can leaked, awful",
    ]
    hours_ago = lambda n: (timezone.now() - timedelta(hours=n)).isoformat()  # noqa: E731
    created = mentions_ingest(
        [item(n, text=text, published_at=hours_ago(3 - n)) for n, text in enumerate(texts)]
    ).created_ids
    Mention.objects.filter(pk=created[2]).update(sentiment_label=Sentiment.NEGATIVE)
    return Mention.objects.get(pk=created[2])


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def test_staff_route_a_negative_mention_by_keyboard_then_answer_it(open_page, sign_in, make_user, queue, screenshot):
    ana = make_user("ana.insights")
    page = sign_in(ana, on=open_page(viewport=LAPTOP))
    page.goto("/insights/triage/")
    page.get_by_role("link", name="Negative").click()
    page.get_by_role("table").get_by_text("can leaked").wait_for()
    assert page.get_by_role("table").locator("tbody tr").count() == 1
    assert fits(page)
    screenshot(page, "queue-negative")

    page.keyboard.press("?")
    assert page.get_by_text("tick or untick the mention").is_visible()
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.get_by_label("Select the mention by @fizzfan42").is_checked()
    page.locator("#triage-live").get_by_text("Ticked. 1 ticked.").wait_for(state="attached")
    page.keyboard.press("d")
    department = page.get_by_label("Route to")
    assert department.evaluate("el => el === document.activeElement")
    department.select_option(label="Customer service")
    page.get_by_role("button", name="Route", exact=True).click()
    page.get_by_text("1 mention routed to Customer service.").wait_for()
    screenshot(page, "routed")

    with page.expect_navigation():  # keys pressed before the next page has loaded would go to this one
        page.get_by_role("link", name="All mentions").click()
    page.keyboard.press("j")  # the newest first: the leaked can
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Mention on X / Twitter").wait_for()
    assert page.url.endswith(f"/insights/mentions/{queue.pk}/")
    page.get_by_role("button", name="Mark responded").click()
    page.get_by_text("Mention marked responded.").wait_for()
    thread = page.get_by_role("region", name="Thread")
    assert thread.get_by_text("Routed", exact=True).is_visible()
    assert thread.get_by_text("Responded", exact=True).is_visible()
    assert thread.get_by_text("to Customer service").is_visible()
    assert fits(page)
    screenshot(page, "mention")
    queue.refresh_from_db()
    assert (queue.status, queue.first_response_by, queue.department.slug) == ("responded", ana, "customer-service")


def test_typing_in_a_field_does_not_trigger_shortcuts(page, sign_in, make_user, queue):
    sign_in(make_user("ana.insights"))
    page.goto("/insights/triage/")
    page.get_by_label("Tag", exact=True).first.fill("jx")
    assert page.locator("tr.table-active").count() == 0
    assert not page.get_by_label("Select the mention by @fizzfan42").first.is_checked()


def test_the_queue_and_a_mention_fit_a_phone(phone, sign_in, make_user, queue, screenshot):
    sign_in(make_user("ana.insights"), on=phone)
    phone.goto("/insights/triage/")
    phone.get_by_role("heading", name="Triage").wait_for()
    assert fits(phone)
    screenshot(phone, "queue")
    phone.goto(f"/insights/mentions/{queue.pk}/")
    assert fits(phone)
    screenshot(phone, "mention")
