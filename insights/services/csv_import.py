"""CSV import of mentions from the browser: upload, map the columns, import in the background.

The three steps are three services, and the Celery task calls the fourth:

- `import_upload()` stores the file and reads it once from end to end, in the
  request: it finds the encoding and the delimiter, checks the header row and
  counts the rows. That pass costs about a second for 200,000 rows and nothing
  more happens in the request, so no upload times out.
- `import_preview()` reads the header and the first rows again for the mapping page.
- `import_start()` checks the mapping and queues `csv_import_task` on commit.
- `import_run()` is the task's body: it streams the file and hands the rows to
  `mentions_ingest()` in chunks, recording the progress after each one.

Decisions:

- Row numbers are the ones a spreadsheet shows: the header is row 1, the first
  data row is row 2, and a quoted cell with line breaks stays one row. Blank
  rows keep their number but count for nothing.
- Encoding: UTF-8 (with or without a byte-order mark) first. A file that is not
  UTF-8 from its first non-ASCII byte on, and reads cleanly as Windows-1252
  (what Excel's plain "CSV" format writes on Western Windows), is read as
  Windows-1252 and the mapping page says so, with the preview to check the
  accents. Anything else is refused at upload, naming the first row that cannot
  be read: a file that mixes UTF-8 and another encoding, bytes that are neither,
  UTF-16, a workbook or any other binary file. Because the upload reads the whole
  file, a bad byte halfway is found before a single mention is written; the task
  reads the stored file through once more before it stores anything, to the same end.
- A row with more cells than the header has is rejected (a stray delimiter or an
  unclosed quote shifts its values); a shorter row reads its missing cells as empty.
- Dates without a time zone offset are read in the organisation's time zone
  (TIME_ZONE); dates with one are kept as given.
- Resuming: each chunk is stored and its counts recorded in one transaction,
  with the import's row locked, so `rows_done` always matches what is stored. A
  rerun (a worker killed with `kill -9`, a redelivered message, a soft time
  limit) skips the rows already done and goes on; `mentions_ingest()` is
  idempotent on (source, external_id) in any case, so even a rerun from scratch
  would create nothing twice. Rejected rows are appended to their file before
  the chunk commits, and a rerun first drops the lines of chunks that never did.
- Files live in the default storage under MEDIA_ROOT, which web and workers share
  (a volume in docker-compose); the rejected-rows file is appended to on disk, so
  the storage must be a FileSystemStorage.
"""

import codecs
import csv
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.csv_safe import csv_writer
from core.queue import task_queue_on_commit
from insights.models import Channel, MentionImport
from insights.services.ingest import mentions_ingest

CHUNK_ROWS = 2000  # rows per mentions_ingest() call and per progress update
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
READ_BLOCK = 1024 * 1024
SNIFF_BYTES = 1024
HEAD_BYTES = 64 * 1024  # looked at for signs of a binary file
DELIMITERS = ",;\t|"
DEFAULT_SOURCE = "csv"
UTF8 = "utf-8-sig"  # reads UTF-8 with or without a byte-order mark
CP1252 = "cp1252"
ENCODING_NAMES = {UTF8: "UTF-8", CP1252: "Windows-1252"}
SAVE_AS_UTF8 = "In Excel, choose File › Save As › “CSV UTF-8 (Comma delimited)” and upload that file."

# Signatures of files people upload by mistake, and what to call them.
BINARY_SIGNATURES = [
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97–2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
]


@dataclass(frozen=True)
class BulkField:
    """A field of the bulk-contract item (insights.mention_input) that a CSV column can fill."""

    key: str  # as in the contract and in ingest errors: "text", "author.reach"…
    label: str
    required: bool = False
    number: bool = False
    guesses: tuple[str, ...] = ()  # header names that probably hold it, normalised


BULK_FIELDS = [
    BulkField(
        "text", "Text", required=True, guesses=("text", "message", "content", "body", "mention", "post", "tweet")
    ),
    BulkField(
        "published_at",
        "Published at",
        required=True,
        guesses=(
            "published_at",
            "published",
            "date",
            "datetime",
            "date_time",
            "date_utc",
            "created_at",
            "created",
            "created_on",
            "tweet_created",
            "timestamp",
            "time_stamp",
            "posted_at",
            "posted",
            "posted_on",
            "sent_at",
            "when",
            "time",
        ),  # fmt: skip
    ),
    BulkField("external_id", "External id", guesses=("external_id", "id", "post_id", "message_id", "tweet_id", "guid")),
    BulkField("channel", "Channel", guesses=("channel", "network", "platform")),
    BulkField("url", "URL", guesses=("url", "link", "permalink")),
    BulkField("language", "Language", guesses=("language", "lang", "locale")),
    BulkField(
        "author.handle", "Author handle", guesses=("author_handle", "handle", "username", "screen_name", "author")
    ),
    BulkField("author.name", "Author name", guesses=("author_name", "name", "full_name", "display_name")),
    BulkField(
        "author.reach", "Author reach", number=True, guesses=("author_reach", "reach", "followers", "followers_count")
    ),
    BulkField("engagement.likes", "Likes", number=True, guesses=("likes", "like_count", "favorites", "reactions")),
    BulkField("engagement.shares", "Shares", number=True, guesses=("shares", "share_count", "retweets", "reposts")),
    BulkField(
        "engagement.comments", "Comments", number=True, guesses=("comments", "comment_count", "replies", "reply_count")
    ),
]
BULK_FIELDS_BY_KEY = {f.key: f for f in BULK_FIELDS}


class CsvRowError(ValueError):
    """A row of the file cannot be read at all (its bytes or its quoting); the message names it."""

    def __init__(self, row: int, message: str, *, kind: str = "csv"):
        super().__init__(message)
        self.row = row
        self.kind = kind  # "undecodable", "mixed" or "csv"


# --- Reading a stored CSV ---------------------------------------------------


def _byte_lines(stream) -> Iterator[bytes]:
    """The lines of a binary stream, split on b"\\n" only (no byte of a UTF-8 or cp1252 character is one)."""
    pending = b""
    while block := stream.read(READ_BLOCK):
        lines = (pending + block).split(b"\n")
        pending = lines.pop()
        for line in lines:
            yield line + b"\n"
    if pending:
        yield pending


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _BadLine(Exception):
    def __init__(self, kind: str):
        self.kind = kind


class _Rows:
    """The records of a CSV as (row number, cells), the header being row 1.

    Lines are decoded one by one, so a byte that does not decode is reported
    with the row it is in.
    """

    def __init__(self, stream, *, encoding: str, delimiter: str):
        self.stream = stream
        self.encoding = encoding
        self.delimiter = delimiter
        self.row = 0  # the last row read
        self.non_ascii = False  # some earlier line held non-ASCII text that decoded cleanly

    def _lines(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)()
        for raw in _byte_lines(self.stream):
            if raw.isascii():
                yield decoder.decode(raw)
                continue
            # Valid UTF-8 in a Windows-1252 file: a file in two encodings, which no choice reads right.
            if self.encoding == CP1252 and _is_utf8(raw):
                raise _BadLine("mixed")
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError:
                raise _BadLine("mixed" if self.non_ascii else "undecodable") from None
            self.non_ascii = True
            yield text

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines(), delimiter=self.delimiter)
        name = ENCODING_NAMES.get(self.encoding, self.encoding)
        while True:
            row = self.row + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _BadLine as exc:
                if exc.kind == "mixed":
                    message = f"Row {row:,} is not in the encoding of the rows before it: the file mixes encodings."
                else:
                    message = f"Row {row:,} is not {name} text."
                raise CsvRowError(row, f"{message} {SAVE_AS_UTF8}", kind=exc.kind) from None
            except csv.Error as exc:
                raise CsvRowError(
                    row, f"Row {row:,} cannot be read as CSV ({exc}). Is a quote left open on that row?"
                ) from None
            self.row = row
            yield row, cells


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _open_rows(upload: MentionImport, stream) -> _Rows:
    return _Rows(stream, encoding=upload.encoding, delimiter=upload.delimiter)


# --- Upload -----------------------------------------------------------------


def _refuse_binary(head: bytes) -> None:
    for signature, what in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ValidationError({"file": f"This is not a CSV file: it looks like {what}. {SAVE_AS_UTF8}"})
    if b"\x00" in head:
        raise ValidationError({"file": f"This is not a CSV file: it holds binary data. {SAVE_AS_UTF8}"})


def _sniff_delimiter(head: bytes) -> str:
    """csv.Sniffer on the whole lines of the first KB; a comma when it cannot tell."""
    sample = head[:SNIFF_BYTES].decode("latin-1")  # every delimiter candidate is ASCII
    if "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _looks_like_data(name: str) -> bool:
    try:
        float(name.replace(",", ""))
        return True
    except ValueError:
        pass
    try:
        datetime.fromisoformat(name)
        return True
    except ValueError:
        return False


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_header(cells: list[str]) -> list[str]:
    """The column names of row 1, or a ValidationError saying why row 1 is not a header."""
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:
        names.pop()  # trailing empty columns, as spreadsheets sometimes export them
    if not names:
        raise ValidationError({"file": "Row 1 is empty: the first row must name the columns (e.g. text, date)."})
    for index, name in enumerate(names):
        if not name:
            raise ValidationError(
                {"file": f"Row 1 must name every column, but column {_column_letter(index)} has no name."}
            )
    for name in names:
        if _looks_like_data(name):
            raise ValidationError(
                {
                    "file": f"Row 1 should name the columns, but “{name[:40]}” looks like data: add a header row "
                    "that names them (e.g. text, published_at) and upload the file again."
                }
            )
    seen = set()
    for name in names:
        if name.casefold() in seen:
            raise ValidationError({"file": f"Two columns are named “{name[:40]}”: give each column its own name."})
        seen.add(name.casefold())
    return names


def _scan(stream, *, encoding: str, delimiter: str) -> tuple[list[str], int]:
    """Read the whole file once: its header and how many data rows it has."""
    rows = _Rows(stream, encoding=encoding, delimiter=delimiter)
    headers, total = None, 0
    for row, cells in rows:
        if row == 1:
            headers = _check_header(cells)
        elif not _is_blank(cells):
            total += 1
    if headers is None:
        raise ValidationError({"file": "The file is empty."})
    return headers, total


def _detect_and_scan(file, delimiter: str) -> tuple[str, list[str], int]:
    """UTF-8, else Windows-1252 when the file is that throughout; else refuse, naming the row."""
    file.seek(0)
    try:
        headers, total = _scan(file, encoding=UTF8, delimiter=delimiter)
        return UTF8, headers, total
    except CsvRowError as exc:
        if exc.kind != "undecodable":
            raise ValidationError({"file": str(exc)}) from None
    file.seek(0)
    try:
        headers, total = _scan(file, encoding=CP1252, delimiter=delimiter)
    except CsvRowError as exc:
        if exc.kind == "undecodable":
            message = f"Row {exc.row:,} is neither UTF-8 nor Windows-1252 text. {SAVE_AS_UTF8}"
            raise ValidationError({"file": message}) from None
        raise ValidationError({"file": str(exc)}) from None
    return CP1252, headers, total


def import_upload(*, file, user) -> MentionImport:
    """Store an uploaded CSV and describe it (encoding, delimiter, header, row count), ready for mapping.

    Reads the file once from end to end but imports nothing, so it returns quickly even
    for 200,000 rows. Raises a ValidationError (on "file") for an empty file, a file
    without a header row or without data rows, a binary file, or bytes that are neither
    UTF-8 nor Windows-1252 (naming the row).
    """
    size = file.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": f"The file is {size / 2**20:,.0f} MB; at most {MAX_UPLOAD_BYTES >> 20} MB."})
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if not head.strip():
        raise ValidationError({"file": "The file is empty."})
    _refuse_binary(head)
    delimiter = _sniff_delimiter(head)
    encoding, _headers, total = _detect_and_scan(file, delimiter)
    if total == 0:
        raise ValidationError({"file": "The file has a header row but no data rows."})

    name = Path(file.name or "mentions.csv").name[:255]
    upload = MentionImport(
        uploaded_by=user, original_name=name, encoding=encoding, delimiter=delimiter, rows_total=total
    )
    file.seek(0)
    upload.file.save(name, file, save=False)
    upload.save()
    return upload


def import_preview(*, upload: MentionImport, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """The column names and the first `rows` non-blank data rows, each as long as the header."""
    headers, preview = [], []
    with upload.file.open("rb") as stream:
        for row, cells in _open_rows(upload, stream):
            if row == 1:
                headers = _check_header(cells)
                if rows == 0:
                    break
                continue
            if _is_blank(cells):
                continue
            preview.append((cells + [""] * len(headers))[: len(headers)])
            if len(preview) >= rows:
                break
    return headers, preview


# --- Mapping ----------------------------------------------------------------


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def import_guess_mapping(*, headers: list[str]) -> dict[str, str]:
    """Columns that probably hold each bulk field, from their names ("message" → text, "date" → published_at)."""
    by_name = {_normalise(h): h for h in reversed(headers)}  # the first of equal names wins
    guesses, used = {}, set()
    for bulk_field in BULK_FIELDS:
        for guess in bulk_field.guesses:
            column = by_name.get(guess)
            if column and column not in used:
                guesses[bulk_field.key] = column
                used.add(column)
                break
    return guesses


def _active_channel_slugs() -> dict[str, str]:
    """Active channels by slug and by name, case-insensitively: a cell may hold either."""
    lookup = {}
    for slug, name in Channel.objects.filter(is_active=True).values_list("slug", "name"):
        lookup[name.casefold()] = slug
        lookup[slug.casefold()] = slug
    return lookup


def import_start(*, upload: MentionImport, mapping: dict) -> MentionImport:
    """Check the column mapping, record it, and queue the import (on commit).

    `mapping` is {"columns": {bulk field key: column name}, "source": str, "channel": slug}.
    `text` and `published_at` must name a column. Without an `external_id` column each row
    gets `import-<id>-row-<n>`, so running the same import again creates nothing twice. The
    channel comes from its column, else (and for empty cells) from the fixed `channel`.
    `source` defaults to "csv". Raises a ValidationError naming each field in error;
    then nothing is queued.
    """
    columns = {key: (column or "").strip() for key, column in (mapping.get("columns") or {}).items()}
    columns = {key: column for key, column in columns.items() if column}
    source = (mapping.get("source") or "").strip() or DEFAULT_SOURCE
    channel = (mapping.get("channel") or "").strip()
    headers, _ = import_preview(upload=upload, rows=0)

    errors: dict[str, list[str]] = {}
    for key, column in columns.items():
        if key not in BULK_FIELDS_BY_KEY:
            errors.setdefault("columns", []).append(f"“{key[:40]}” is not a field of a mention.")
        elif column not in headers:
            errors[key] = [f"The file has no column “{column[:40]}”."]
    for bulk_field in BULK_FIELDS:
        if bulk_field.required and bulk_field.key not in columns and bulk_field.key not in errors:
            errors[bulk_field.key] = [f"Choose the column that holds the {bulk_field.label.lower()} of each mention."]
    if channel and channel not in set(_active_channel_slugs().values()):
        errors["channel"] = [f"“{channel[:40]}” is not an active channel."]
    elif not channel and "channel" not in columns:
        errors["channel"] = ["Choose the column that holds the channel, or one channel for every row."]
    if len(source) > 64:
        errors["source"] = ["At most 64 characters."]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = MentionImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != MentionImport.Status.MAPPING:
            raise ValidationError(
                f"This import has already started ({locked.get_status_display().lower()}): nothing was imported twice."
            )
        locked.mapping = {"columns": columns, "source": source, "channel": channel}
        locked.status = MentionImport.Status.QUEUED
        locked.save(update_fields=["mapping", "status"])
        task_queue_on_commit("insights.tasks.csv_import_task", locked.pk)
    return locked


# --- The import itself (the task's body) -----------------------------------


_WHOLE_NUMBER = re.compile(r"\d+(\.0*)?|\d{1,3}([,\u00a0\u202f ]\d{3})+")


def _whole_number(value: str) -> int | None:
    """'1200', '1,200', '1 200' or '1200.0' (a spreadsheet's number); None when it is not one."""
    if not _WHOLE_NUMBER.fullmatch(value):
        return None
    return int(re.sub(r"[,\u00a0\u202f ]", "", value).split(".")[0])


class _RowReader:
    """Turns the cells of one row into a bulk-contract item, as the mapping says."""

    def __init__(self, upload: MentionImport, header_cells: list[str]):
        mapping = upload.mapping
        self.upload_id = upload.pk
        self.width = len(header_cells)
        position = {name.strip(): index for index, name in reversed(list(enumerate(header_cells)))}
        self.columns: dict[str, str] = mapping["columns"]
        self.index = {key: position[column] for key, column in self.columns.items()}
        self.source = mapping["source"]
        self.channel = mapping["channel"]
        self.channels = _active_channel_slugs()
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def _cell(self, cells: list[str], key: str) -> str:
        index = self.index.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def _published_at(self, value: str) -> str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value  # clean_mention() explains the format expected
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return moment.isoformat()

    def item(self, row: int, cells: list[str]) -> tuple[dict | None, dict]:
        if len(cells) > self.width:
            return None, {"row": [f"Has {len(cells)} cells but the header has {self.width}: a stray delimiter?"]}
        errors: dict[str, list[str]] = {}
        numbers: dict[str, int] = {}
        for key in self.index:
            if not BULK_FIELDS_BY_KEY[key].number:
                continue
            value = self._cell(cells, key)
            if value:
                number = _whole_number(value)
                if number is None:
                    errors[key] = [f"“{value[:40]}” is not a whole number."]
                else:
                    numbers[key] = number
        if errors:
            return None, errors
        channel = self._cell(cells, "channel")
        item = {
            "source": self.source,
            "external_id": self._cell(cells, "external_id")
            if "external_id" in self.index
            else f"import-{self.upload_id}-row-{row}",
            "channel": self.channels.get(channel.casefold(), channel) if channel else self.channel,
            "text": self._cell(cells, "text"),
            "published_at": self._published_at(self._cell(cells, "published_at")),
            "url": self._cell(cells, "url"),
            "language": self._cell(cells, "language"),
            "author": {
                "handle": self._cell(cells, "author.handle"),
                "name": self._cell(cells, "author.name"),
                "reach": numbers.get("author.reach"),
            },
            "engagement": {
                "likes": numbers.get("engagement.likes"),
                "shares": numbers.get("engagement.shares"),
                "comments": numbers.get("engagement.comments"),
            },
        }
        return item, {}

    def reason(self, errors: dict) -> str:
        """'published_at (column “Date”): Is in the future.; …'"""
        parts = []
        for key, messages in errors.items():
            text = " ".join(str(m) for m in messages)
            column = self.columns.get(key)
            if key in ("row", "non_field_errors"):
                parts.append(text)
            elif column:
                parts.append(f"{key} (column “{column}”): {text}")
            else:
                parts.append(f"{key}: {text}")
        return "; ".join(parts)


def _rejected_name(upload: MentionImport) -> str:
    return f"imports/rejected/{upload.created_at:%Y/%m}/{upload.pk}-rejected.csv"


def _rejected_open(upload: MentionImport, header_cells: list[str], *, keep_through_row: int):
    """Open the rejected-rows file for appending, keeping only the rows of chunks that committed."""
    path = Path(default_storage.path(_rejected_name(upload)))
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep_through_row <= 1 or not path.exists():
        handle = path.open("w", encoding="utf-8-sig", newline="")
        csv_writer(handle, delimiter=upload.delimiter).writerow(["row", "reason", *header_cells])
        return handle
    # A rerun: lines written for a chunk whose transaction never committed are dropped.
    with (
        path.open(encoding="utf-8-sig", newline="") as old,
        tempfile.NamedTemporaryFile("w", encoding="utf-8-sig", newline="", dir=path.parent, delete=False) as new,
    ):
        reader, writer = csv.reader(old, delimiter=upload.delimiter), csv_writer(new, delimiter=upload.delimiter)
        for line, cells in enumerate(reader):
            if line == 0 or (cells and cells[0].isdigit() and int(cells[0]) <= keep_through_row):
                writer.writerow(cells)
    os.replace(new.name, path)
    return path.open("a", encoding="utf-8-sig", newline="")


class _Superseded(Exception):
    """Another run of the same import moved it on: this one stops."""


def import_run(*, upload_id: int) -> MentionImport | None:
    """Import a queued CSV (the body of csv_import_task). Safe to run twice; a rerun resumes.

    Streams the file, never holding more than one chunk of rows; each chunk goes to
    `mentions_ingest()` with `first_index` = its first row number, so every error names
    the row a spreadsheet shows. After each chunk, in the same transaction, the counts
    (rows_done, created, duplicates, rejected) are updated with one small UPDATE for the
    progress page, and the rejected rows, with their reason, are appended to the file
    that becomes `rejected_file`. Ends done, or failed with the row that could not be read.
    """
    upload = MentionImport.objects.filter(pk=upload_id).first()
    if upload is None or upload.status not in (MentionImport.Status.QUEUED, MentionImport.Status.RUNNING):
        return upload  # gone, not started, or finished: a redelivered message does nothing
    MentionImport.objects.filter(pk=upload.pk, status=MentionImport.Status.QUEUED).update(
        status=MentionImport.Status.RUNNING, started_at=timezone.now()
    )
    upload.refresh_from_db()
    try:
        _import_rows(upload)
    except CsvRowError as exc:
        import_fail(upload_id=upload.pk, error=str(exc))
    except FileNotFoundError:
        # The web process stored it where this worker cannot see it: MEDIA_ROOT must be shared.
        import_fail(upload_id=upload.pk, error="The uploaded file is no longer in storage: upload it again.")
    except _Superseded:
        pass
    upload.refresh_from_db()
    return upload


def _check_readable(upload: MentionImport) -> None:
    """Read the whole file before storing anything (about a second for 200,000 rows).

    The upload already did, but the stored file is read again here: a row that cannot
    be read then fails the import before a single row of it is written.
    """
    with upload.file.open("rb") as stream:
        for _ in _open_rows(upload, stream):
            pass


def _import_rows(upload: MentionImport) -> None:
    _check_readable(upload)
    done_before = upload.rows_done
    with upload.file.open("rb") as stream:
        records = iter(_open_rows(upload, stream))
        _, header_cells = next(records)
        reader = _RowReader(upload, header_cells)
        # Resume: skip the rows that committed chunks already counted.
        last_row, skipped = 1, 0
        if done_before:
            for row, cells in records:
                last_row = row
                skipped += not _is_blank(cells)
                if skipped == done_before:
                    break
        rejected = _rejected_open(upload, header_cells, keep_through_row=last_row)
        try:
            writer = csv_writer(rejected, delimiter=upload.delimiter)
            expected_done = done_before
            chunk: list[tuple[int, list[str]]] = []
            for record in records:
                chunk.append(record)
                if len(chunk) == CHUNK_ROWS:
                    expected_done = _import_chunk(upload, reader, chunk, writer, rejected, expected_done)
                    chunk = []
            if chunk:
                expected_done = _import_chunk(upload, reader, chunk, writer, rejected, expected_done)
        finally:
            rejected.close()
    _finish(upload, rows_done=expected_done)


def _import_chunk(upload, reader: _RowReader, chunk, writer, rejected_file, expected_done: int) -> int:
    """Store one chunk of rows and record its counts, in one transaction. Returns the new rows_done."""
    first_row = chunk[0][0]
    items, errors_by_row, placeholders = [], {}, set()
    for row, cells in chunk:
        if _is_blank(cells):
            items.append(None)  # keeps each item's index equal to its row number
            placeholders.add(row)
            continue
        item, errors = reader.item(row, cells)
        if errors:
            errors_by_row[row] = errors
            placeholders.add(row)
        items.append(item)
    counted = len(chunk) - sum(_is_blank(cells) for _, cells in chunk)

    with transaction.atomic():
        status, rows_done = (
            MentionImport.objects.select_for_update().filter(pk=upload.pk).values_list("status", "rows_done").get()
        )
        if status != MentionImport.Status.RUNNING or rows_done != expected_done:
            raise _Superseded
        result = mentions_ingest(items, first_index=first_row)
        for error in result.errors:
            if error["index"] not in placeholders:
                errors_by_row[error["index"]] = error["errors"]
        cells_by_row = dict(chunk)
        for row in sorted(errors_by_row):
            writer.writerow([row, reader.reason(errors_by_row[row]), *cells_by_row[row]])
        rejected_file.flush()
        os.fsync(rejected_file.fileno())
        MentionImport.objects.filter(pk=upload.pk).update(
            rows_done=F("rows_done") + counted,
            created=F("created") + result.created,
            duplicates=F("duplicates") + result.duplicates,
            rejected=F("rejected") + len(errors_by_row),
        )
    return expected_done + counted


def _finish(upload: MentionImport, *, rows_done: int) -> None:
    with transaction.atomic():
        current = MentionImport.objects.select_for_update().get(pk=upload.pk)
        if current.status != MentionImport.Status.RUNNING or current.rows_done != rows_done:
            raise _Superseded
        name = _rejected_name(upload)
        if current.rejected:
            current.rejected_file.name = name
        else:
            default_storage.delete(name)
        current.rows_total = rows_done  # equal unless the file changed since it was counted
        current.status = MentionImport.Status.DONE
        current.finished_at = timezone.now()
        current.save(update_fields=["rejected_file", "rows_total", "status", "finished_at"])


def import_fail(*, upload_id: int, error: str) -> None:
    """Mark an import failed with a message a person can act on; the rows stored so far stay."""
    MentionImport.objects.filter(
        pk=upload_id, status__in=[MentionImport.Status.QUEUED, MentionImport.Status.RUNNING]
    ).update(status=MentionImport.Status.FAILED, error=error[:2000], finished_at=timezone.now())


# --- Abandoned uploads --------------------------------------------------------


def _cancel_locked(upload: MentionImport) -> None:
    """Delete the stored file of an upload locked in "mapping" status and mark it cancelled (in a transaction)."""
    name = upload.file.name
    upload.status = MentionImport.Status.CANCELLED
    upload.finished_at = timezone.now()
    upload.file = ""
    upload.save(update_fields=["status", "finished_at", "file"])
    if name:
        storage = MentionImport._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))  # a rolled-back cancel keeps its file


def import_cancel(*, upload: MentionImport, by) -> MentionImport:
    """Cancel an upload that was never started (still waiting for its mapping): its stored file is deleted
    and it shows as cancelled. An import that has started is refused with a message; cancelling twice is
    harmless. `by` is who asked (staff; None for the clean-up task)."""
    with transaction.atomic():
        locked = MentionImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status == MentionImport.Status.CANCELLED:
            return locked
        if locked.status != MentionImport.Status.MAPPING:
            raise ValidationError("This import has already started: it can no longer be cancelled.")
        _cancel_locked(locked)
    return locked


def imports_cancel_abandoned(*, max_age_hours: int | None = None) -> int:
    """Cancel every upload left waiting for its mapping longer than INSIGHTS_UPLOAD_MAX_AGE_HOURS, deleting its
    stored file. Safe to run twice: each upload is locked and checked again, and a cancelled one is skipped."""
    hours = settings.INSIGHTS_UPLOAD_MAX_AGE_HOURS if max_age_hours is None else max_age_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    cancelled = 0
    stale = MentionImport.objects.filter(status=MentionImport.Status.MAPPING, created_at__lt=cutoff)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                MentionImport.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=MentionImport.Status.MAPPING)
                .first()
            )
            if locked is not None:
                _cancel_locked(locked)
                cancelled += 1
    return cancelled
