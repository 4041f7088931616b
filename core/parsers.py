"""JSON in: what DRF's parser lets through as a server error becomes a clear 400 (or 413).

- Nesting deep enough to exhaust Python's recursion (`[` × 1,000) is a `parse_error`.
- A lone UTF-16 surrogate (`"\\ud800"`), which JSON allows but no database can store, is refused
  where it stands (`StorableJSONParser`); the bulk endpoint keeps the good items of a batch and
  refuses only the items that hold one (`insights.mention_input`), so it parses leniently.
- Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE answer 413 (core.api); the bulk endpoint reads up to
  its own, larger limit (`BulkJSONParser`).
"""

import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser, JSONParser

from core.exceptions import ApplicationError

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SURROGATE = re.compile("[\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Contains a character that cannot be stored (NUL or a lone surrogate such as \\ud800)."


class PayloadTooLarge(ApplicationError):
    status_code = 413
    code = "payload_too_large"


def _loads(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ParseError("JSON parse error - nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"JSON parse error - {exc}") from None


def surrogate_path(data, path: str = "") -> str | None:
    """The first place in parsed JSON whose string holds a lone surrogate ("items.0.text"), or None.

    NUL is left to the fields (DRF's CharField refuses it, naming the field)."""
    stack = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                return where or "body"
        elif isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else str(key), item) for key, item in value.items())
            stack.extend((where or "body", key) for key in value if isinstance(key, str))
        elif isinstance(value, list):
            stack.extend((f"{where}.{n}" if where else str(n), item) for n, item in enumerate(value))
    return None


class StorableJSONParser(JSONParser):
    """DRF's JSON parser, refusing too deep nesting (parse_error) and lone surrogates (invalid, naming the field)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = _loads(stream.read())
        where = surrogate_path(data)
        if where is not None:
            raise ValidationError({where: [UNSTORABLE_MESSAGE]})
        return data


class BulkJSONParser(BaseParser):
    """JSON up to INSIGHTS_BULK_MAX_BYTES (a full batch of long texts), read from the stream itself.

    Not a JSONParser subclass on purpose: DRF reads a JSONParser's body through `request.body`, which
    stops at DATA_UPLOAD_MAX_MEMORY_SIZE. Unstorable text is left to per-item validation.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.INSIGHTS_BULK_MAX_BYTES
        request = (parser_context or {}).get("request")
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if length > limit:
            raise PayloadTooLarge(f"The body is over {limit // 2**20} MB.")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The body is over {limit // 2**20} MB.")
        return _loads(raw)
