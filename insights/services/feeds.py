"""RSS and Atom feeds: register one, poll it, poll the ones that are due.

A poll is a conditional GET (the stored ETag and Last-Modified go back to the
server, a 304 means nothing new); only entries that match an active tracked term
go to `mentions_ingest`, which is idempotent on (source, external_id), so an
entry seen twice is stored once. A failing feed records why, in words a staff
member can act on, and keeps its schedule: nothing here raises out of the beat.
"""

import hashlib
import html
import io
import logging
import re
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import feedparser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from core.queue import task_queue_on_commit
from insights.mention_input import MAX_EXTERNAL_ID, MAX_NAME, MAX_TEXT, MAX_URL
from insights.models import Channel, Feed, TrackedTerm
from insights.query import parse, tokenize
from insights.safe_http import FetchError, Response, fetch
from insights.services.ingest import IngestResult, mentions_ingest

logger = logging.getLogger(__name__)

MIN_POLL_MINUTES = 5
# Beat fires every minute but a run starts a few seconds late or early: without some
# slack a 30-minute feed would often wait 31 minutes.
DUE_SLACK = timedelta(seconds=30)

_http_url = URLValidator(schemes=["http", "https"])


class FeedError(FetchError):
    """A feed could not be read; the message says why, for the staff who registered it."""


def _what_it_is(response: Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    start = response.body[:512].lstrip().lower()
    if not start:
        return "an empty page"
    if content_type in ("text/html", "application/xhtml+xml") or start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if content_type == "application/json" or start.startswith((b"{", b"[")):
        return "JSON"
    return f"a {content_type} document" if content_type else "something else"


def _parse(response: Response) -> feedparser.FeedParserDict:
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
        response = fetch(url)
        if response is None:  # 304 to an unconditional GET: a broken server, not a feed we can read
            raise FeedError("This address answered “Not Modified” to a plain request, so it cannot be read as a feed.")
        _parse(response)
    except FetchError as exc:
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
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        now = timezone.now()
        success = {"last_polled_at": now, "last_success_at": now, "last_error": "", "last_error_at": None}
        if response is None:
            Feed.objects.filter(pk=feed.pk).update(**success)
            return {**outcome, "status": "not_modified"}
        parsed = _parse(response)
        items = _matching_items(feed, parsed)
        with transaction.atomic():
            result = mentions_ingest(items) if items else IngestResult()
            Feed.objects.filter(pk=feed.pk).update(
                **success,
                etag=response.headers.get("etag", "")[:500],
                last_modified=response.headers.get("last-modified", "")[:100],
                entries_seen=F("entries_seen") + len(parsed.entries),
                mentions_created=F("mentions_created") + result.created,
            )
    except FetchError as exc:
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
    """Queue one poll task per active feed whose last poll is older than its interval; returns how many.

    The beat task only claims and queues, never fetches: each feed polls in a task of its own, with
    its own time limit, so a thousand feeds or one slow feed never hold the others back. Safe to run
    twice at once: a feed is claimed by moving its `last_polled_at` only if nobody moved it since we
    read it, so each due feed is queued once.
    """
    now = timezone.now()
    queued = 0
    candidates = Feed.objects.filter(is_active=True).values_list("pk", "last_polled_at", "poll_minutes")
    with transaction.atomic():
        for pk, last_polled_at, poll_minutes in candidates.order_by(F("last_polled_at").asc(nulls_first=True)):
            if last_polled_at is not None and last_polled_at > now - timedelta(minutes=poll_minutes) + DUE_SLACK:
                continue
            if Feed.objects.filter(pk=pk, is_active=True, last_polled_at=last_polled_at).update(last_polled_at=now):
                task_queue_on_commit("insights.tasks.feed_poll_task", pk)
                queued += 1
    return queued


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
