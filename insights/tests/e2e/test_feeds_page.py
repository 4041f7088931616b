"""Insights staff register a feed in Chromium, are told when an address is not a feed, poll it and see it fail."""

import threading

import pytest

from insights.models import Feed, Mention
from insights.tests.factories import ChannelFactory, TermFactory
from insights.tests.test_feeds import CHERRY, HTML_PAGE, LIME, PICNIC, Answer, FeedServer, rss

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    httpd = FeedServer()
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


def test_staff_register_poll_and_see_a_failing_feed(page, sign_in, make_user, screenshot, server):
    TermFactory()
    ChannelFactory(slug="blog", name="Blogs")
    server.answers["/fans"] = Answer(body=HTML_PAGE, content_type="text/html")
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY, PICNIC, LIME))
    ana = make_user("ana.insights")
    sign_in(ana)
    page.goto("/insights/feeds/")
    page.get_by_role("heading", name="Feeds", exact=True).wait_for()

    page.get_by_label("Name").fill("Fizz Weekly")
    page.get_by_label("Feed address").fill(server.url("/fans"))
    page.get_by_label("Channel").select_option(label="Blogs")
    page.get_by_label("Poll every (minutes)").fill("15")
    page.get_by_role("button", name="Register feed").click()
    error = page.get_by_text("did not answer with an RSS or Atom feed (it answered an HTML page)")
    assert error.is_visible()
    assert page.get_by_label("Feed address").get_attribute("aria-invalid") == "true"
    assert not Feed.objects.exists()
    screenshot(page, "not-a-feed")

    page.get_by_label("Feed address").fill(server.url("/rss.xml"))
    page.get_by_role("button", name="Register feed").click()
    page.get_by_text("Feed “Fizz Weekly” registered.").wait_for()
    page.get_by_role("button", name="Poll Fizz Weekly now").click()
    page.get_by_text("3 entries read, 2 matched a tracked term, 2 new mentions").wait_for()
    assert Mention.objects.count() == 2
    screenshot(page, "polled")

    server.answers["/rss.xml"] = Answer(status=500)
    page.get_by_role("button", name="Poll Fizz Weekly now").click()
    row = page.locator("#feeds tr", has_text="Fizz Weekly")
    row.get_by_text("Failing").wait_for()
    assert row.get_by_text("HTTP 500 Internal Server Error").is_visible()
    page.get_by_role("button", name="Pause Fizz Weekly").click()
    page.get_by_role("button", name="Resume Fizz Weekly").wait_for()
    screenshot(page, "failing-and-paused")
