"""Feeds: register, poll (conditional GET, matching, dedupe), failures, the beat loop and the staff pages.

Every test talks to a real HTTP server on 127.0.0.1 that serves RSS and Atom
documents written here, answers 304 to the validators it handed out, and can
answer 500, an HTML page, or nothing at all.
"""

import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from insights.models import Feed, Mention
from insights.services.feeds import feed_poll, feed_register, feeds_poll_due
from insights.tasks import feed_poll_task, feeds_poll_due_task
from insights.tests.factories import ChannelFactory, TermFactory

pytestmark = pytest.mark.django_db


# --- A feed server -----------------------------------------------------------------


@dataclass
class Answer:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    honour_validators: bool = True  # False: a server that always sends the whole feed
    hang: bool = False  # accept the request and never answer


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict]] = []
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def headers_of(self, path: str) -> list[dict]:
        return [headers for requested, headers in self.requests if requested == path]


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self):
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        answer = self.server.answers.get(self.path)
        if answer is None:
            return self._send(404, b"<html><body>Not here</body></html>", "text/html")
        if answer.hang:
            self.server.release.wait(10)
            return None
        if answer.honour_validators and (
            (answer.etag and self.headers.get("If-None-Match") == answer.etag)
            or (answer.last_modified and self.headers.get("If-Modified-Since") == answer.last_modified)
        ):
            return self._send(304, b"", None, answer)
        return self._send(answer.status, answer.body, answer.content_type, answer)

    def _send(self, status, body, content_type, answer=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if answer and answer.etag:
            self.send_header("ETag", answer.etag)
        if answer and answer.last_modified:
            self.send_header("Last-Modified", answer.last_modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def server():
    httpd = FeedServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port_url():
    """An address where nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


# --- Invented documents -------------------------------------------------------------


def _ago(hours: float) -> str:
    return format_datetime(timezone.now() - timedelta(hours=hours), usegmt=True)


CHERRY = ("fizz-1", "Cherry Fizz is back", "<p>Carl&#39;s Soda brings back <b>Cherry Fizz</b> for the summer.</p>")
PICNIC = ("fizz-2", "Ten picnic ideas", "<p>Sandwiches, lemonade and a blanket.</p>")
JR = ("fizz-3", "Burgers tonight", "<p>Carl's Jr and Carl's Soda, a combo.</p>")  # the term excludes Carl's Jr
LIME = ("fizz-4", "Lime Spark review", "The new Lime Spark from Carl’s Soda is too sweet for me.")


def rss(*entries, title="Fizz Weekly") -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{escape(head)}</title>"
        f"<link>https://fizzweekly.example/{guid}</link><description><![CDATA[{body}]]></description>"
        f"<author>editor@fizzweekly.example (Sam Bubble)</author><pubDate>{_ago(2)}</pubDate></item>"
        for guid, head, body in entries
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<link>https://fizzweekly.example/</link><language>en-us</language>{items}</channel></rss>"
    ).encode()


def atom(*entries) -> bytes:
    updated = (timezone.now() - timedelta(hours=3)).replace(microsecond=0).isoformat()
    items = "".join(
        f"<entry><id>tag:sodareviews.example,2026:{guid}</id><title>{escape(head)}</title>"
        f"<link href='/reviews/{guid}'/><updated>{updated}</updated>"
        f"<author><name>Jo Fizzwell</name></author><summary type='html'>{escape(body)}</summary></entry>"
        for guid, head, body in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en'>"
        f"<title>Soda Reviews</title><id>tag:sodareviews.example,2026:feed</id><updated>{updated}</updated>"
        f"{items}</feed>"
    ).encode()


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Carl's Soda fans</title></head><body><p>Hello</p></body></html>"
VALIDATORS = {"etag": '"v1"', "last_modified": "Mon, 23 Nov 2026 08:00:00 GMT"}


@pytest.fixture(autouse=True)
def brand():
    return TermFactory()


@pytest.fixture
def blogs():
    return ChannelFactory(slug="blog", name="Blogs")


@pytest.fixture
def make_feed(server, blogs):
    """Serve `answer` at `path` and register a feed for it (registration fetches it once)."""

    def make(path="/rss.xml", answer=None, name="Fizz Weekly", **fields) -> Feed:
        server.answers[path] = answer or Answer(body=rss(CHERRY, PICNIC))
        return feed_register(name=name, url=server.url(path), channel=blogs, **fields)

    return make


# --- Registering ---------------------------------------------------------------------


def test_register_accepts_an_rss_feed(server, blogs):
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    feed = feed_register(name="Fizz Weekly", url=server.url("/rss.xml"), channel=blogs, poll_minutes=15)
    feed.refresh_from_db()
    assert (feed.name, feed.channel, feed.poll_minutes, feed.is_active) == ("Fizz Weekly", blogs, 15, True)
    assert feed.last_polled_at is None  # registering only checks: the first poll reads the entries
    assert Mention.objects.count() == 0


def test_register_accepts_an_atom_feed(server, blogs):
    server.answers["/atom.xml"] = Answer(body=atom(CHERRY), content_type="application/atom+xml")
    feed = feed_register(name="Soda Reviews", url=server.url("/atom.xml"), channel=blogs)
    assert Feed.objects.get().pk == feed.pk


def test_register_sends_the_rapport_user_agent(server, blogs):
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    feed_register(name="Fizz Weekly", url=server.url("/rss.xml"), channel=blogs)
    assert server.headers_of("/rss.xml")[0]["user-agent"] == "Rapport feed reader"


def test_register_refuses_an_html_page_and_saves_nothing(server, blogs):
    server.answers["/fans"] = Answer(body=HTML_PAGE, content_type="text/html; charset=utf-8")
    with pytest.raises(ValidationError) as error:
        feed_register(name="Fans", url=server.url("/fans"), channel=blogs)
    assert error.value.message_dict == {
        "url": ["This address did not answer with an RSS or Atom feed (it answered an HTML page)."]
    }
    assert not Feed.objects.exists()


def test_register_refuses_a_404(server, blogs):
    with pytest.raises(ValidationError) as error:
        feed_register(name="Gone", url=server.url("/gone.xml"), channel=blogs)
    assert error.value.message_dict == {
        "url": ["This address answered with an error (HTTP 404 Not Found), not a feed."]
    }
    assert not Feed.objects.exists()


def test_register_refuses_an_address_in_our_own_network(server, blogs, settings):
    settings.INSIGHTS_FEED_ALLOW_PRIVATE = False  # as in production: the tests' feed server is on loopback
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    with pytest.raises(ValidationError) as error:
        feed_register(name="Internal", url=server.url("/rss.xml"), channel=blogs)
    assert error.value.message_dict == {"url": [PRIVATE_REFUSAL]}
    assert server.headers_of("/rss.xml") == []  # the request never went out
    assert not Feed.objects.exists()


PRIVATE_REFUSAL = (
    "This address could not be reached (it is on a private or local network, which Rapport does not fetch)."
)


def test_private_addresses_are_refused_before_any_connection_with_one_message(blogs, settings):
    """No probing the internal network: open and closed ports, http and https, names and numbers all get the
    same answer, and not a byte goes out (an https:// feed would otherwise send its TLS hello)."""
    settings.INSIGHTS_FEED_ALLOW_PRIVATE = False
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    open_port = listener.getsockname()[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # bound, never listening
        urls = [
            f"http://127.0.0.1:{open_port}/feed.xml",
            f"https://127.0.0.1:{open_port}/feed.xml",
            f"http://127.0.0.1:{closed_port}/feed.xml",
            f"http://localhost:{open_port}/rss",
            "http://10.1.2.3/feed.xml",  # would wait for the timeout if it were tried
            "https://192.168.0.10:8443/feed.xml",
            "http://169.254.169.254/latest/meta-data/",
        ]
        messages = set()
        for url in urls:
            with pytest.raises(ValidationError) as error:
                feed_register(name="Internal", url=url, channel=blogs)
            messages.add(tuple(error.value.message_dict["url"]))
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody ever connected
    listener.close()
    assert messages == {(PRIVATE_REFUSAL,)}
    assert not Feed.objects.exists()


def test_register_refuses_an_unreachable_address(closed_port_url, blogs):
    with pytest.raises(ValidationError) as error:
        feed_register(name="Nobody", url=closed_port_url, channel=blogs)
    assert error.value.message_dict == {
        "url": ["This address could not be reached (the server refused the connection)."]
    }
    assert not Feed.objects.exists()


def test_register_refuses_an_address_that_does_not_answer_in_time(server, blogs, settings):
    settings.INSIGHTS_FEED_TIMEOUT_SECONDS = 0.3
    server.answers["/slow.xml"] = Answer(hang=True)
    with pytest.raises(ValidationError) as error:
        feed_register(name="Slow", url=server.url("/slow.xml"), channel=blogs)
    assert error.value.message_dict == {"url": ["This address did not answer within 0.3 seconds."]}
    assert not Feed.objects.exists()


def test_register_refuses_a_feed_registered_already(make_feed, server, blogs):
    make_feed()
    with pytest.raises(ValidationError) as error:
        feed_register(name="Again", url=server.url("/rss.xml"), channel=blogs)
    assert error.value.message_dict == {"url": ["This feed is already registered, as “Fizz Weekly”."]}
    assert Feed.objects.count() == 1


# --- Polling --------------------------------------------------------------------------


def test_poll_creates_mentions_only_for_entries_that_match_a_tracked_term(make_feed, server):
    feed = make_feed(answer=Answer(body=rss(CHERRY, PICNIC, JR, LIME)))
    outcome = feed_poll(feed_id=feed.pk)
    assert (outcome["status"], outcome["entries"], outcome["matched"], outcome["created"]) == ("ok", 4, 2, 2)
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["fizz-1", "fizz-4"]
    feed.refresh_from_db()
    assert (feed.entries_seen, feed.mentions_created) == (4, 2)
    assert feed.last_success_at is not None
    assert feed.last_polled_at is not None


def test_a_feed_mention_carries_plain_text_link_author_date_and_language(make_feed):
    feed = make_feed(answer=Answer(body=rss(CHERRY)))
    feed_poll(feed_id=feed.pk)
    mention = Mention.objects.get()
    assert mention.source == f"feed:{feed.pk}"
    assert mention.channel.slug == "blog"
    assert mention.text == "Cherry Fizz is back\n\nCarl's Soda brings back Cherry Fizz for the summer."
    assert mention.url == "https://fizzweekly.example/fizz-1"
    assert mention.author_name == "Sam Bubble"
    assert mention.language == "en-us"
    assert timezone.now() - timedelta(hours=3) < mention.published_at < timezone.now() - timedelta(hours=1)
    assert [term.name for term in mention.terms.all()] == ["Carl's Soda"]


def test_an_atom_entry_keeps_its_id_and_its_link_made_absolute(make_feed):
    feed = make_feed("/atom.xml", Answer(body=atom(CHERRY, PICNIC), content_type="application/atom+xml"))
    assert feed_poll(feed_id=feed.pk)["created"] == 1
    mention = Mention.objects.get()
    assert mention.external_id == "tag:sodareviews.example,2026:fizz-1"
    assert mention.url == feed.url.replace("/atom.xml", "/reviews/fizz-1")
    assert mention.author_name == "Jo Fizzwell"


def test_an_entry_without_id_or_link_gets_the_same_id_each_poll(make_feed, server):
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Fizz Weekly</title>"
        b"<item><title>Carl's Soda at the fair</title><description>Stand 12.</description></item></channel></rss>"
    )
    feed = make_feed(answer=Answer(body=body))
    assert feed_poll(feed_id=feed.pk)["created"] == 1
    assert feed_poll(feed_id=feed.pk)["duplicates"] == 1
    assert Mention.objects.get().external_id.startswith("sha256:")


def test_second_poll_sends_the_validators_and_a_304_adds_nothing(make_feed, server):
    feed = make_feed(answer=Answer(body=rss(CHERRY), **VALIDATORS))
    feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == (VALIDATORS["etag"], VALIDATORS["last_modified"])

    outcome = feed_poll(feed_id=feed.pk)

    sent = server.headers_of("/rss.xml")[-1]
    assert (sent["if-none-match"], sent["if-modified-since"]) == (VALIDATORS["etag"], VALIDATORS["last_modified"])
    assert outcome["status"] == "not_modified"
    assert Mention.objects.count() == 1
    feed.refresh_from_db()
    assert (feed.entries_seen, feed.mentions_created) == (1, 1)


def test_a_changed_feed_adds_only_its_new_entry(make_feed, server):
    feed = make_feed(answer=Answer(body=rss(CHERRY), **VALIDATORS))
    feed_poll(feed_id=feed.pk)
    server.answers["/rss.xml"] = Answer(body=rss(LIME, CHERRY), etag='"v2"')

    outcome = feed_poll(feed_id=feed.pk)

    assert (outcome["created"], outcome["duplicates"]) == (1, 1)
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["fizz-1", "fizz-4"]
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified, feed.mentions_created) == ('"v2"', "", 2)


def test_the_same_entries_without_a_304_create_no_duplicates(make_feed, server):
    feed = make_feed(answer=Answer(body=rss(CHERRY, LIME), honour_validators=False, **VALIDATORS))
    feed_poll(feed_id=feed.pk)
    outcome = feed_poll(feed_id=feed.pk)
    assert (outcome["status"], outcome["created"], outcome["duplicates"]) == ("ok", 0, 2)
    assert Mention.objects.count() == 2


def test_a_failure_records_the_error_and_the_next_success_clears_it(make_feed, server):
    feed = make_feed()
    server.answers["/rss.xml"] = Answer(status=500, body=b"oops", content_type="text/plain")

    outcome = feed_poll(feed_id=feed.pk)

    feed.refresh_from_db()
    assert outcome["status"] == "error"
    assert feed.last_error == "This address answered with an error (HTTP 500 Internal Server Error), not a feed."
    assert feed.last_error_at is not None
    assert feed.last_polled_at is not None  # so it waits for its next turn, like any feed
    assert feed.last_success_at is None

    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    assert feed_poll(feed_id=feed.pk)["status"] == "ok"
    feed.refresh_from_db()
    assert (feed.last_error, feed.last_error_at) == ("", None)
    assert feed.last_success_at is not None


def test_a_feed_that_turned_into_an_html_page_records_why(make_feed, server):
    feed = make_feed()
    server.answers["/rss.xml"] = Answer(body=HTML_PAGE, content_type="text/html")
    feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert feed.last_error == "This address did not answer with an RSS or Atom feed (it answered an HTML page)."


def test_a_feed_that_stops_answering_records_a_timeout(make_feed, server, settings):
    feed = make_feed()
    settings.INSIGHTS_FEED_TIMEOUT_SECONDS = 0.3
    server.answers["/rss.xml"] = Answer(hang=True)
    assert feed_poll(feed_id=feed.pk)["status"] == "error"
    feed.refresh_from_db()
    assert feed.last_error == "This address did not answer within 0.3 seconds."


# --- The beat loop ---------------------------------------------------------------------


def test_a_failing_feed_does_not_stop_the_others_from_being_polled(
    make_feed, server, closed_port_url, blogs, django_capture_on_commit_callbacks
):
    first = make_feed("/one.xml", Answer(body=rss(CHERRY)), name="A first")
    broken = make_feed("/two.xml", Answer(body=rss(LIME)), name="B broken")
    last = make_feed("/three.xml", Answer(body=atom(LIME), content_type="application/atom+xml"), name="C last")
    server.answers["/two.xml"] = Answer(status=500)

    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_poll_due() == 3

    feeds = {feed.pk: feed for feed in Feed.objects.all()}
    assert feeds[broken.pk].last_error.startswith("This address answered with an error (HTTP 500")
    assert feeds[first.pk].mentions_created == 1
    assert feeds[last.pk].mentions_created == 1
    assert {m.source for m in Mention.objects.all()} == {first.source, last.source}


def test_poll_due_skips_feeds_polled_within_their_interval_and_paused_feeds(
    make_feed, server, django_capture_on_commit_callbacks
):
    recent = make_feed("/recent.xml", name="Recent", poll_minutes=30)
    due = make_feed("/due.xml", name="Due", poll_minutes=30)
    paused = make_feed("/paused.xml", name="Paused")
    Feed.objects.filter(pk=recent.pk).update(last_polled_at=timezone.now() - timedelta(minutes=10))
    Feed.objects.filter(pk=due.pk).update(last_polled_at=timezone.now() - timedelta(minutes=31))
    Feed.objects.filter(pk=paused.pk).update(is_active=False)
    server.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_poll_due() == 1
    assert [path for path, _ in server.requests] == ["/due.xml"]


def test_the_beat_task_run_twice_polls_each_due_feed_once(make_feed, server, django_capture_on_commit_callbacks):
    make_feed("/one.xml", name="One")
    make_feed("/two.xml", name="Two")
    server.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_poll_due_task.delay().get() == 2
        assert feeds_poll_due_task.delay().get() == 0
    assert sorted(path for path, _ in server.requests) == ["/one.xml", "/two.xml"]
    assert Mention.objects.count() == 2


def test_the_beat_task_fetches_nothing_itself_but_queues_a_task_per_due_feed(
    make_feed, server, django_capture_on_commit_callbacks
):
    for n in range(3):
        make_feed(f"/feed-{n}.xml", name=f"Feed {n}")
    server.requests.clear()
    with django_capture_on_commit_callbacks() as queued:
        assert feeds_poll_due_task.delay().get() == 3
    assert server.requests == []  # a slow feed would hold up only its own task
    assert len(queued) == 3
    for poll in queued:
        poll()
    assert len(server.requests) == 3
    assert feed_poll_task.soft_time_limit < feed_poll_task.time_limit  # each poll has its own limits


def test_polling_an_unknown_feed_says_so():
    assert feed_poll(feed_id=999_999) == {"feed_id": 999_999, "status": "missing"}


# --- Pages ------------------------------------------------------------------------------


@pytest.fixture
def ana(client, login):
    login(client, "ana.insights")
    return client


def test_staff_register_a_feed_from_the_page(ana, server, blogs):
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    form = {"name": "Fizz Weekly", "url": server.url("/rss.xml"), "channel": blogs.pk, "poll_minutes": 20}
    response = ana.post(reverse("insights:feeds"), form, follow=True)
    assert response.redirect_chain == [(reverse("insights:feeds"), 302)]
    assert "Feed “Fizz Weekly” registered." in response.content.decode()
    assert Feed.objects.get().poll_minutes == 20


def test_the_page_shows_why_an_address_is_not_a_feed_and_saves_nothing(ana, server, blogs):
    server.answers["/fans"] = Answer(body=HTML_PAGE, content_type="text/html")
    form = {"name": "Fans", "url": server.url("/fans"), "channel": blogs.pk, "poll_minutes": 30}
    response = ana.post(reverse("insights:feeds"), form)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "url": ["This address did not answer with an RSS or Atom feed (it answered an HTML page)."]
    }
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Feed.objects.exists()


def test_the_page_refuses_polling_more_often_than_every_five_minutes(ana, server, blogs):
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    form = {"name": "Eager", "url": server.url("/rss.xml"), "channel": blogs.pk, "poll_minutes": 1}
    response = ana.post(reverse("insights:feeds"), form)
    assert "poll_minutes" in response.context["form"].errors
    assert server.requests == []  # a bad form costs the site no request
    assert not Feed.objects.exists()


def test_the_page_offers_only_active_online_channels(ana, blogs):
    response = ana.get(reverse("insights:feeds"))
    channels = {channel.slug for channel in response.context["form"].fields["channel"].queryset}
    assert "blog" in channels
    assert "call-centre" not in channels


def test_the_page_flags_a_failing_feed_with_its_error(ana, make_feed, server):
    feed = make_feed()
    server.answers["/rss.xml"] = Answer(status=500)
    feed_poll(feed_id=feed.pk)
    page = ana.get(reverse("insights:feeds")).content.decode()
    assert "Failing" in page
    assert "This address answered with an error (HTTP 500 Internal Server Error), not a feed." in page


def test_the_page_costs_a_fixed_number_of_queries(ana, make_feed, django_assert_max_num_queries):
    for n in range(5):
        make_feed(f"/feed-{n}.xml", name=f"Feed {n}")
    with django_assert_max_num_queries(8):
        ana.get(reverse("insights:feeds"))


def test_poll_now_reports_the_new_mentions(ana, make_feed):
    feed = make_feed(answer=Answer(body=rss(CHERRY, PICNIC)))
    response = ana.post(reverse("insights:feed_poll", args=[feed.pk]), follow=True)
    assert (
        "“Fizz Weekly” polled: 2 entries read, 1 matched a tracked term, 1 new mentions." in response.content.decode()
    )
    assert Mention.objects.count() == 1


def test_poll_now_shows_the_error_of_a_failing_feed(ana, make_feed, server):
    feed = make_feed()
    server.answers["/rss.xml"] = Answer(body=HTML_PAGE, content_type="text/html")
    response = ana.post(reverse("insights:feed_poll", args=[feed.pk]), follow=True)
    assert "“Fizz Weekly” could not be polled: This address did not answer with an RSS or Atom feed" in (
        response.content.decode()
    )


def test_toggle_pauses_then_resumes_a_feed(ana, make_feed):
    feed = make_feed()
    ana.post(reverse("insights:feed_toggle", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.is_active is False
    ana.post(reverse("insights:feed_toggle", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.is_active is True


@pytest.mark.parametrize("name", ["insights:feed_poll", "insights:feed_toggle"])
def test_actions_on_an_unknown_feed_are_404(ana, name):
    assert ana.post(reverse(name, args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", ["insights:feed_poll", "insights:feed_toggle"])
def test_actions_only_allow_post(ana, make_feed, name):
    feed = make_feed()
    assert ana.get(reverse(name, args=[feed.pk])).status_code == 405


def test_an_employee_gets_403_and_changes_nothing(client, login, make_feed, server, blogs):
    feed = make_feed()
    login(client, "eli.employee")
    server.requests.clear()
    form = {"name": "Mine", "url": server.url("/rss.xml"), "channel": blogs.pk, "poll_minutes": 30}
    assert client.get(reverse("insights:feeds")).status_code == 403
    assert client.post(reverse("insights:feeds"), form).status_code == 403
    assert client.post(reverse("insights:feed_poll", args=[feed.pk])).status_code == 403
    assert client.post(reverse("insights:feed_toggle", args=[feed.pk])).status_code == 403
    feed.refresh_from_db()
    assert (feed.is_active, feed.last_polled_at, Feed.objects.count()) == (True, None, 1)
    assert server.requests == []


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("insights:feeds"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_feed_whose_channel_was_switched_off_says_so(make_feed, server, blogs):
    feed = make_feed()
    blogs.is_active = False
    blogs.save()
    server.requests.clear()
    assert feed_poll(feed_id=feed.pk)["status"] == "error"
    feed.refresh_from_db()
    assert feed.last_error == "Its channel “Blogs” is switched off; choose another or switch it on."
    assert server.requests == []


# --- The feeds API (scope insights:admin) ---------------------------------------------


def test_the_api_registers_a_feed_after_checking_it(admin_api, server, blogs):
    server.answers["/rss.xml"] = Answer(body=rss(CHERRY))
    created = admin_api("post", "feeds", {"name": "Fizz Weekly", "url": server.url("/rss.xml"), "channel": "blog"})
    assert created.status_code == 201
    assert (created.json()["channel"], created.json()["poll_minutes"]) == ("blog", 30)
    paused = admin_api("patch", f"feeds/{created.json()['id']}", {"is_active": False, "poll_minutes": 60})
    assert (paused.json()["is_active"], paused.json()["poll_minutes"]) == (False, 60)
    assert admin_api("delete", f"feeds/{created.json()['id']}").status_code == 204
    assert not Feed.objects.exists()


def test_the_api_refuses_a_page_that_is_not_a_feed(admin_api, server, blogs, assert_api_error):
    server.answers["/page.html"] = Answer(body=HTML_PAGE, content_type="text/html")
    response = admin_api("post", "feeds", {"name": "Fans", "url": server.url("/page.html"), "channel": "blog"})
    assert "HTML page" in assert_api_error(response, 400, "invalid")["details"]["url"][0]
    assert not Feed.objects.exists()


def test_the_api_keeps_a_feeds_address(admin_api, make_feed):
    feed = make_feed()
    response = admin_api("patch", f"feeds/{feed.pk}", {"url": "https://elsewhere.example/rss"})
    assert response.status_code == 400
    feed.refresh_from_db()
    assert feed.url.startswith("http://127.0.0.1")
