"""Validation of one incoming mention, shared by the bulk API, CSV, feeds and the offline form.

Hand-written rather than a DRF serializer per item: a batch of 5,000 items must
validate in a few milliseconds each way, and every error names its field.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from core.parsers import UNSTORABLE, UNSTORABLE_MESSAGE
from core.validators import LATEST_DATE

MAX_TEXT = 10_000
MAX_SOURCE = 64
MAX_EXTERNAL_ID = 128
MAX_NAME = 255
MAX_URL = 2000
MAX_INT = 2**31 - 1

_url_validator = URLValidator(schemes=["http", "https"])
# The common shape of a URL, which the validator above always accepts: http(s), an ASCII host name with a
# letters-only top-level domain, an optional port and path. It costs about a microsecond, the validator about
# twenty (it splits the URL and tries a much larger pattern), so only the other shapes (IP addresses,
# user:password@, international names, upper-case schemes…) go through the validator.
_COMMON_URL_RE = re.compile(
    r"https?://(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
    r"(?::[0-9]{1,5})?(?:[/?#][^\s]*)?\Z"
)


def valid_url(url: str) -> bool:
    """Whether `url` is an http(s) URL that Django's URLValidator accepts."""
    common = _COMMON_URL_RE.match(url)
    if common is not None and len(common["host"]) <= 253:
        return True
    try:
        _url_validator(url)
    except ValidationError:
        return False
    return True


@dataclass
class MentionInput:
    """A valid mention, ready to be matched, scored and stored."""

    source: str
    external_id: str
    channel_id: int
    text: str
    published_at: datetime
    url: str = ""
    language: str = ""
    author_handle: str = ""
    author_name: str = ""
    author_reach: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    # Set by a staff member on the offline form (who, in sentiment_set_by_id); otherwise the model scores it.
    sentiment_label: str | None = None
    sentiment_set_by_id: int | None = None
    extra: dict = field(default_factory=dict)


def _shown(value: str, length: int) -> str:
    """Part of a refused value, to quote in its error: what cannot be encoded shows as �."""
    return UNSTORABLE.sub("\ufffd", value[:length])


def _string(value, name, errors, *, required=False, max_length=MAX_NAME) -> str:
    if value is None or value == "":
        if required:
            errors[name] = ["This field is required."]
        return ""
    if not isinstance(value, str):
        errors[name] = ["Must be a string."]
        return ""
    if len(value) > max_length:
        errors[name] = [f"At most {max_length} characters (got {len(value)})."]
    return value


def _count(value, name, errors) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = ["Must be a whole number."]
        return 0
    if not 0 <= value <= MAX_INT:
        errors[name] = [f"Must be between 0 and {MAX_INT}."]
        return 0
    return value


def _object(item: dict, name: str, keys: tuple[str, ...], errors: dict) -> dict:
    """An optional nested object such as `author`; anything else is an error for that field."""
    value = item.get(name) or {}
    if not isinstance(value, dict):
        errors[name] = ["Must be an object: {" + ", ".join(f'"{key}"' for key in keys) + "}."]
        return {}
    return value


def latest_published_at() -> datetime:
    """The latest publication time accepted now: a little tolerance for clocks that run ahead."""
    return timezone.now() + timedelta(minutes=settings.INSIGHTS_FUTURE_TOLERANCE_MINUTES)


def parse_published_at(value, errors, name="published_at", *, latest: datetime | None = None) -> datetime | None:
    """ISO 8601 with an offset ('2026-11-02T14:03:00+01:00' or '…Z'), not in the future.

    `latest` (see latest_published_at()) saves a batch from computing it for every item.
    """
    if value is None or value == "":
        errors[name] = ["This field is required."]
        return None
    if not isinstance(value, str):
        errors[name] = ["Must be an ISO 8601 date and time string, e.g. 2026-11-02T14:03:00+01:00."]
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        errors[name] = [f"“{_shown(value, 40)}” is not an ISO 8601 date and time, e.g. 2026-11-02T14:03:00+01:00."]
        return None
    if moment.tzinfo is None:
        errors[name] = ["Give the time zone offset, e.g. 2026-11-02T14:03:00+01:00 or …Z for UTC."]
        return None
    # The years first: comparing a moment of year 1 or 9999 with an offset overflows when it moves to UTC.
    if moment.year < 1990:
        errors[name] = ["Is before 1990."]
        return None
    if moment.year > LATEST_DATE.year or moment > (latest or latest_published_at()):
        errors[name] = ["Is in the future."]
        return None
    return moment.astimezone(UTC)


def clean_mention(
    item, channels: dict[str, int], *, latest: datetime | None = None
) -> tuple[MentionInput | None, dict]:
    """Validate one bulk-contract item. Returns (mention, {}) or (None, {field: [messages]}).

    `channels` maps the slugs of active channels to their ids; `latest` is the latest publication
    time accepted (latest_published_at(), computed once per batch).
    """
    if not isinstance(item, dict):
        return None, {"non_field_errors": ["Each item must be a JSON object."]}
    errors: dict = {}

    source = _string(item.get("source"), "source", errors, required=True, max_length=MAX_SOURCE)
    external_id = item.get("external_id")
    if isinstance(external_id, bool) or not isinstance(external_id, (str, int)) or external_id == "":
        errors["external_id"] = ["Required: a string or an integer."]
    else:
        external_id = str(external_id)
        if len(external_id) > MAX_EXTERNAL_ID:
            errors["external_id"] = [f"At most {MAX_EXTERNAL_ID} characters."]

    channel_slug = item.get("channel")
    channel_id = None
    if not isinstance(channel_slug, str) or not channel_slug:
        errors["channel"] = ["Required: a channel slug, e.g. twitter or call-centre."]
    elif channel_slug not in channels:
        errors["channel"] = [f"Unknown channel “{_shown(channel_slug, 50)}”. Known: {', '.join(sorted(channels))}."]
    else:
        channel_id = channels[channel_slug]

    text = item.get("text")
    if not isinstance(text, str):
        errors["text"] = ["Required: a string of 1 to 10,000 characters."]
    elif not text.strip():
        errors["text"] = ["Is empty."]
    elif len(text) > MAX_TEXT:
        errors["text"] = [f"At most {MAX_TEXT:,} characters (got {len(text):,})."]

    published_at = parse_published_at(item.get("published_at"), errors, latest=latest)

    url = _string(item.get("url"), "url", errors, max_length=MAX_URL)
    if url and "url" not in errors and not valid_url(url):
        errors["url"] = ["Is not a valid http(s) URL."]
    language = _string(item.get("language"), "language", errors, max_length=16)

    author = _object(item, "author", ("handle", "name", "reach"), errors)
    handle = _string(author.get("handle"), "author.handle", errors)
    name = _string(author.get("name"), "author.name", errors)
    reach = _count(author.get("reach"), "author.reach", errors)

    engagement = _object(item, "engagement", ("likes", "shares", "comments"), errors)
    likes = _count(engagement.get("likes"), "engagement.likes", errors)
    shares = _count(engagement.get("shares"), "engagement.shares", errors)
    comments = _count(engagement.get("comments"), "engagement.comments", errors)

    strings = {"source": source, "external_id": external_id, "text": text, "url": url, "language": language}
    strings |= {"author.handle": handle, "author.name": name}
    for key, value in strings.items():
        if isinstance(value, str) and key not in errors and UNSTORABLE.search(value):
            errors[key] = [UNSTORABLE_MESSAGE]
    if errors:
        return None, errors
    return (
        MentionInput(
            source=source,
            external_id=external_id,
            channel_id=channel_id,
            text=text,
            published_at=published_at,
            url=url,
            language=language,
            author_handle=handle,
            author_name=name,
            author_reach=reach,
            likes=likes,
            shares=shares,
            comments=comments,
        ),
        {},
    )
