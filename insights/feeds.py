"""RSS and Atom feeds: register one, poll it, poll the ones that are due.

A poll is a conditional GET (the stored ETag and Last-Modified go back to the
server, a 304 means nothing new); only entries that match an active tracked term
go to `ingest_mentions`, which is idempotent on (source, external_id), so an
entry seen twice is stored once. A failing feed records why, in words a staff
member can act on, and keeps its schedule: nothing here raises out of the beat.
"""

import hashlib
import html
import http.client
import io
import ipaddress
import logging
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from insights.ingest import MAX_EXTERNAL_ID, MAX_NAME, MAX_TEXT, MAX_URL
from insights.models import Channel, Feed, TrackedTerm
from insights.query import parse, tokenize
from insights.services import IngestResult, ingest_mentions

logger = logging.getLogger(__name__)

USER_AGENT = "Rapport feed reader"
DEFAULT_TIMEOUT_SECONDS = 10  # settings.INSIGHTS_FEED_TIMEOUT_SECONDS overrides it (tests use a fraction)
MAX_FEED_BYTES = 10 * 1024 * 1024
READ_CHUNK = 64 * 1024
MIN_POLL_MINUTES = 5
# Beat fires every minute but a run starts a few seconds late or early: without some
# slack a 30-minute feed would often wait 31 minutes.
DUE_SLACK = timedelta(seconds=30)

_http_url = URLValidator(schemes=["http", "https"])


class FeedError(Exception):
    """A feed could not be read; the message says why, for the staff who registered it."""


@dataclass
class _Response:
    url: str
    headers: dict[str, str]  # lower-case names
    body: bytes


def _timeout() -> float:
    return float(getattr(settings, "INSIGHTS_FEED_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


class PrivateAddress(OSError):
    """The feed's host is on a private, local or reserved network: Rapport does not fetch it."""


class _PublicOnly:
    """Refuse a connection whose peer is not a public address (no requests into our own network).

    The check is on the address actually connected to, so a redirect or a DNS answer that
    changes between checks cannot get around it. INSIGHTS_FEED_ALLOW_PRIVATE turns it off.
    """

    def connect(self):
        super().connect()
        if settings.INSIGHTS_FEED_ALLOW_PRIVATE:
            return
        address = ipaddress.ip_address(self.sock.getpeername()[0])
        address = getattr(address, "ipv4_mapped", None) or address
        if not address.is_global:
            self.sock.close()
            raise PrivateAddress(f"{address} is a private or local network address")


class _HTTPConnection(_PublicOnly, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_PublicOnly, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=self._context)


def _opener() -> urllib.request.OpenerDirector:
    # Only HTTP(S): unlike urllib's default opener, no file:, ftp: or data: handler, so a
    # redirect cannot make the poller read a local file or another protocol; and only
    # public addresses (_PublicOnly), so a feed URL cannot reach into our own network.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTPHandler(),
        _HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _unreachable(reason) -> str:
    if isinstance(reason, PrivateAddress):
        why = f"{reason}, which Rapport does not fetch"
    elif isinstance(reason, ConnectionRefusedError):
        why = "the server refused the connection"
    elif isinstance(reason, socket.gaierror):
        why = "its host name was not found"
    elif isinstance(reason, ssl.SSLCertVerificationError):
        why = "its HTTPS certificate could not be verified"
    elif isinstance(reason, ssl.SSLError):
        why = "the secure (HTTPS) connection failed"
    else:
        why = str(getattr(reason, "strerror", None) or reason) or reason.__class__.__name__
    return f"This address could not be reached ({why})."


def _fetch(url: str, *, etag: str = "", last_modified: str = "") -> _Response | None:
    """GET `url`, conditionally when validators are given. None means 304 Not Modified.

    The whole exchange, not only each socket read, must end within the timeout, and
    the body may not exceed MAX_FEED_BYTES; otherwise FeedError.
    """
    timeout = _timeout()
    too_slow = f"This address did not answer within {timeout:g} seconds."
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    too_large = f"The feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB, the most Rapport reads."
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_FEED_BYTES:
                raise FeedError(too_large)
            chunks, size = [], 0
            while chunk := response.read(READ_CHUNK):
                size += len(chunk)
                if size > MAX_FEED_BYTES:
                    raise FeedError(too_large)
                if time.monotonic() > deadline:
                    raise FeedError(too_slow)
                chunks.append(chunk)
            return _Response(
                url=response.geturl(),
                headers={name.lower(): value for name, value in response.headers.items()},
                body=b"".join(chunks),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise FeedError(f"This address answered with an error (HTTP {exc.code} {exc.reason}), not a feed.") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FeedError(too_slow) from exc
        raise FeedError(_unreachable(exc.reason)) from exc
    except TimeoutError as exc:
        raise FeedError(too_slow) from exc
    except (http.client.HTTPException, OSError) as exc:
        raise FeedError(f"The connection broke while reading this address ({exc.__class__.__name__}).") from exc


def _what_it_is(response: _Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    start = response.body[:512].lstrip().lower()
    if not start:
        return "an empty page"
    if content_type in ("text/html", "application/xhtml+xml") or start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if content_type == "application/json" or start.startswith((b"{", b"[")):
        return "JSON"
    return f"a {content_type} document" if content_type else "something else"


def _parse(response: _Response) -> feedparser.FeedParserDict:
    """Parse an answer as RSS or Atom, or raise FeedError when it is not one."""
    headers = {"content-location": response.url, **response.headers}
    # A stream, never a string: feedparser would take a string for a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
    if not parsed.entries and not parsed.feed.get("title") and (parsed.bozo or not parsed.get("version")):
        raise FeedError(f"This address did not answer with an RSS or Atom feed (it answered {_what_it_is(response)}).")
    return parsed


# --- Entries -> bulk-contract items -----------------------------------------------


def _plain(markup: str) -> str:
    """Feed HTML to plain text: tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(markup or ""))).strip()


def _entry_text(entry) -> str:
    title = _plain(entry.get("title", ""))
    body = entry.get("summary") or ""
    if not body and entry.get("content"):
        body = entry["content"][0].get("value", "")
    summary = _plain(body)
    text = "\n\n".join(part for part in (title, summary) if part)
    return text[:MAX_TEXT]


def _entry_external_id(entry) -> str:
    key = (entry.get("id") or entry.get("link") or "").strip()
    if not key:
        key = f"{entry.get('title', '')}\n{entry.get('link', '')}"
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    if len(key) > MAX_EXTERNAL_ID:
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _entry_published_at(entry, now: datetime) -> str:
    # feedparser gives both as UTC struct_time.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return now.isoformat()
    moment = datetime(*parsed[:6], tzinfo=UTC)
    return min(moment, now).isoformat()  # a publisher's clock ahead of ours is not "in the future"


def _entry_url(entry) -> str:
    link = (entry.get("link") or "").strip()
    if not link or len(link) > MAX_URL:
        return ""
    try:
        _http_url(link)
    except ValidationError:
        return ""
    return link


def _entry_author(entry) -> str:
    raw = (entry.get("author") or "").strip()
    # An RSS <author> is "address (Name)": keep the name, never the address. (feedparser's
    # own split cuts addresses with a long top-level domain in the wrong place.)
    name = parseaddr(raw)[0] if "@" in raw else raw
    if "@" in name:
        return ""
    return name.strip()[:MAX_NAME]


def _active_queries() -> list:
    return [parse(query) for query in TrackedTerm.objects.filter(is_active=True).values_list("query", flat=True)]


def _matching_items(feed: Feed, parsed: feedparser.FeedParserDict) -> list[dict]:
    """The entries that match at least one active tracked term, as bulk-contract items, once each."""
    queries = _active_queries()
    if not queries:
        return []
    now = timezone.now()
    language = (parsed.feed.get("language") or "").strip().lower()
    language = language if len(language) <= 16 else ""
    items: dict[str, dict] = {}
    for entry in parsed.entries:
        text = _entry_text(entry)
        if not text:
            continue
        tokens = tokenize(text)
        if not any(query.matches_tokens(tokens) for query in queries):
            continue
        external_id = _entry_external_id(entry)
        item = {
            "source": feed.source,
            "external_id": external_id,
            "channel": feed.channel.slug,
            "text": text,
            "url": _entry_url(entry),
            "published_at": _entry_published_at(entry, now),
            "language": language,
        }
        author = _entry_author(entry)
        if author:
            item["author"] = {"name": author}
        items.setdefault(external_id, item)  # a feed that lists an entry twice: keep the first
    return list(items.values())


# --- Services ------------------------------------------------------------------


def feed_register(*, name: str, url: str, channel: Channel, poll_minutes: int = 30) -> Feed:
    """Register a feed after fetching its address once to check that it is RSS or Atom.

    Raises ValidationError ({"url": "…"} for an address that is not a feed, does
    not answer or answers an error); nothing is saved then. The first poll, by
    beat within a minute or by "Poll now", reads its entries.
    """
    url = url.strip()
    try:
        _http_url(url)
    except ValidationError as exc:
        raise ValidationError({"url": "Enter the feed's web address, starting with http:// or https://."}) from exc
    if not channel.is_active or channel.kind != Channel.Kind.ONLINE:
        raise ValidationError({"channel": "Choose an active online channel."})
    if poll_minutes < MIN_POLL_MINUTES:
        raise ValidationError({"poll_minutes": f"Choose {MIN_POLL_MINUTES} minutes or more."})
    existing = Feed.objects.filter(url=url).first()
    if existing is not None:
        raise ValidationError({"url": f"This feed is already registered, as “{existing.name}”."})
    feed = Feed(name=name.strip(), url=url, channel=channel, poll_minutes=poll_minutes)
    feed.full_clean()  # lengths and the rest: before the fetch, so a bad form costs no request
    try:
        response = _fetch(url)
        if response is None:  # 304 to an unconditional GET: a broken server, not a feed we can read
            raise FeedError("This address answered “Not Modified” to a plain request, so it cannot be read as a feed.")
        _parse(response)
    except FeedError as exc:
        raise ValidationError({"url": str(exc)}) from exc
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError as exc:  # the same URL registered by someone else meanwhile
        raise ValidationError({"url": "This feed was registered a moment ago by someone else."}) from exc
    return feed


def _record_failure(feed_id: int, message: str) -> None:
    now = timezone.now()
    Feed.objects.filter(pk=feed_id).update(last_polled_at=now, last_error=message[:2000], last_error_at=now)


def feed_poll(*, feed_id: int) -> dict:
    """Poll one feed now and ingest its new matching entries; never raises for a bad feed.

    Sends the stored validators (If-None-Match, If-Modified-Since); a 304 reads
    nothing. On success the feed's validators, times and counters are updated and
    its last error cleared; on failure the error and its time are recorded and the
    schedule goes on. Returns what happened, e.g. {"status": "ok", "created": 2, …}.
    """
    feed = Feed.objects.select_related("channel").filter(pk=feed_id).first()
    if feed is None:
        return {"feed_id": feed_id, "status": "missing"}
    outcome = {"feed_id": feed_id, "entries": 0, "matched": 0, "created": 0, "duplicates": 0, "rejected": 0}
    try:
        if not feed.channel.is_active:  # ingest would refuse every entry: say so rather than poll in vain
            raise FeedError(f"Its channel “{feed.channel.name}” is switched off; choose another or switch it on.")
        response = _fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        now = timezone.now()
        success = {"last_polled_at": now, "last_success_at": now, "last_error": "", "last_error_at": None}
        if response is None:
            Feed.objects.filter(pk=feed.pk).update(**success)
            return {**outcome, "status": "not_modified"}
        parsed = _parse(response)
        items = _matching_items(feed, parsed)
        with transaction.atomic():
            result = ingest_mentions(items) if items else IngestResult()
            Feed.objects.filter(pk=feed.pk).update(
                **success,
                etag=response.headers.get("etag", "")[:500],
                last_modified=response.headers.get("last-modified", "")[:100],
                entries_seen=F("entries_seen") + len(parsed.entries),
                mentions_created=F("mentions_created") + result.created,
            )
    except FeedError as exc:
        _record_failure(feed.pk, str(exc))
        return {**outcome, "status": "error", "error": str(exc)}
    except Exception:
        logger.exception("Polling feed %s (%s) failed", feed.pk, feed.url)
        message = "Rapport failed while reading this feed (an internal error; the server log has the details)."
        _record_failure(feed.pk, message)
        return {**outcome, "status": "error", "error": message}
    if result.rejected:
        logger.warning("Feed %s: %s entries refused by ingest: %s", feed.pk, result.rejected, result.errors[:5])
    return {
        **outcome,
        "status": "ok",
        "entries": len(parsed.entries),
        "matched": len(items),
        "created": result.created,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
    }


def feeds_poll_due() -> int:
    """Poll every active feed whose last poll is older than its interval; returns how many were polled.

    Safe to run twice at once: each feed is claimed by moving its `last_polled_at`
    only if nobody moved it since we read it, so a feed is polled by one run only.
    One feed's failure never stops the others.
    """
    now = timezone.now()
    polled = 0
    candidates = Feed.objects.filter(is_active=True).values_list("pk", "last_polled_at", "poll_minutes")
    for pk, last_polled_at, poll_minutes in candidates.order_by(F("last_polled_at").asc(nulls_first=True)):
        if last_polled_at is not None and last_polled_at > now - timedelta(minutes=poll_minutes) + DUE_SLACK:
            continue
        claimed = Feed.objects.filter(pk=pk, is_active=True, last_polled_at=last_polled_at).update(last_polled_at=now)
        if not claimed:
            continue
        try:
            feed_poll(feed_id=pk)
        except Exception:
            logger.exception("Polling feed %s failed", pk)
        polled += 1
    return polled


def feed_toggle(*, feed_id: int) -> Feed:
    """Pause a polled feed, or resume a paused one. Raises Feed.DoesNotExist for an unknown id."""
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed_id)
        feed.is_active = not feed.is_active
        feed.save(update_fields=["is_active"])
    return feed


def feed_update(
    *, feed: Feed, name: str | None = None, poll_minutes: int | None = None, is_active: bool | None = None
) -> Feed:
    """Rename a feed, change its schedule, pause or resume it. Its address is fixed: register a new feed instead."""
    if name is not None:
        feed.name = name.strip()
    if poll_minutes is not None:
        feed.poll_minutes = poll_minutes
    if is_active is not None:
        feed.is_active = is_active
    feed.full_clean()
    feed.save(update_fields=["name", "poll_minutes", "is_active"])
    return feed


def feed_delete(*, feed: Feed) -> None:
    """Stop following a feed; the mentions it brought in stay."""
    feed.delete()
