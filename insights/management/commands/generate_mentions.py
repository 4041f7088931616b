"""`manage.py generate_mentions N`: invented mentions in bulk, for benchmarks and load tests."""

import io
import math
import queue
import random
import threading
import time
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from insights import demo
from insights.languages import primary_language
from insights.models import Channel, Mention, MentionTerm, RollupMark, Sentiment, TrackedTerm
from insights.query import parse, tokenize
from insights.sentiment import get_scorer, scorer_version
from insights.services.ingest import MENTION_COLUMNS, mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.triage import high_reach, is_question, response_targets

INGEST_BATCH = 5000  # items per mentions_ingest call: the bulk API's maximum
COPY_CHUNK = 100_000  # mentions per COPY transaction: a killed load leaves whole chunks
DAY_S = 86_400

HELP = """\
Create N invented mentions of Carl's Soda (the demo's texts, authors, channels and spikes), spread
over the last --days days, e.g. to benchmark rollups and the API on millions of rows.

On PostgreSQL this is a bulk load: rows are generated in Python and loaded with COPY into
insights_mention and insights_mentionterm, one transaction per --chunk mentions, each with a
RollupMark for every hour it touched, so the next rollup pass (or --rebuild-rollups) counts them.
Being a load generator, it does not run every mention through the ingestion pipeline: the texts
come from a few hundred templates, and each distinct text is scored once with the configured
sentiment model and matched once against the active tracked terms; every mention with that text
gets that label, score and those terms (what the pipeline would give it). Other databases (SQLite)
go through mentions_ingest in batches of 5,000 (validation, matching, scoring, dedupe).

External ids are '<run>-<n>' under --source, where <run> is --seed in base 36 (a new one per run by default),
so two runs never collide, and rerunning with the same --seed, N, --days and --chunk adds nothing.
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many mentions to create.")
        parser.add_argument("--source", default="generated", help="Their source (default: generated).")
        parser.add_argument("--days", type=int, default=395, help="Spread them over this many past days (default 395).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed and run id (default: a new one).")
        parser.add_argument(
            "--chunk", type=int, default=COPY_CHUNK, help=f"Mentions per COPY transaction (default {COPY_CHUNK:,})."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=2,
            help="COPY this many chunks at once, on as many connections (default 2; 1 inside a transaction).",
        )
        parser.add_argument(
            "--via",
            choices=["auto", "copy", "ingest"],
            default="auto",
            help="copy (PostgreSQL only) or ingest (the pipeline); auto: copy on PostgreSQL (default).",
        )
        parser.add_argument(
            "--rebuild-rollups", action="store_true", help="Rebuild every rollup at the end (instead of leaving marks)."
        )

    def handle(self, *args, count, source, days, seed, chunk, jobs, via, rebuild_rollups, verbosity=1, **options):
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        if days < 1 or chunk < 1 or jobs < 1:
            raise CommandError("--days, --chunk and --jobs must be at least 1.")
        if via == "auto":
            via = "copy" if connection.vendor == "postgresql" else "ingest"
        elif via == "copy" and connection.vendor != "postgresql":
            raise CommandError(f"--via copy needs PostgreSQL (this database is {connection.vendor}).")
        seed = seed if seed is not None else time.time_ns()
        progress = self._progress if verbosity >= 1 else None
        started = time.perf_counter()
        if via == "copy":
            done = copy_load(
                count=count, source=source, days=days, seed=seed, chunk=chunk, jobs=jobs, progress=progress
            )
        else:
            done = ingest_load(count=count, source=source, days=days, seed=seed, progress=progress)
        loaded = time.perf_counter() - started
        if verbosity >= 1:
            self.stderr.write("")
        rate = done.created / loaded if loaded else 0
        self.stdout.write(
            f"Created {done.created:,} mentions ({done.links:,} term links, {done.hours:,} hours marked) "
            f"in {loaded:.1f} s ({rate:,.0f}/s) via {via}; seed {seed}, external ids {run_id(seed)}-…"
            + (f", {done.skipped:,} already there" if done.skipped else "")
            + "."
        )
        if rebuild_rollups:
            started = time.perf_counter()
            rollups = rollups_refresh(rebuild=True)
            self.stdout.write(f"Rollups rebuilt: {rollups['rows']:,} rows in {time.perf_counter() - started:.1f} s.")

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{done:,} / {total:,}", ending="")
        self.stderr.flush()


@dataclass
class LoadResult:
    created: int = 0
    skipped: int = 0  # already there from an earlier run with the same seed
    links: int = 0
    hours: int = 0  # rollup marks written (COPY) or hours touched (ingest)


def run_id(seed: int) -> str:
    """The seed in base 36: a short prefix for the run's external ids."""
    digits, seed = "", abs(seed)
    while True:
        seed, digit = divmod(seed, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not seed:
            return digits


def external_id(run: str, n: int) -> str:
    """Zero-padded, so a chunk's ids are one contiguous range of the (source, external_id) index."""
    return f"{run}-{n:09d}"


# --- Through the pipeline (any database) -------------------------------------


def ingest_load(*, count: int, source: str, days: int, seed: int, progress=None) -> LoadResult:
    """Batches of demo items through mentions_ingest: validated, matched, scored, deduplicated."""
    result = LoadResult()
    for start in range(0, count, INGEST_BATCH):
        items = demo.demo_mentions(min(INGEST_BATCH, count - start), days=days, seed=seed + start)
        for n, item in enumerate(items, start):
            item["source"], item["external_id"] = source, external_id(run_id(seed), n)
        ingested = mentions_ingest(items)
        result.created += ingested.created
        result.skipped += ingested.duplicates
        result.hours += len({item["published_at"][:13] for item in items})
        if progress:
            progress(start + len(items), count)
    result.links = MentionTerm.objects.filter(
        mention__source=source, mention__external_id__startswith=f"{run_id(seed)}-"
    ).count()
    return result


# --- COPY (PostgreSQL) -------------------------------------------------------


def _copy_escape(value: str) -> str:
    """PostgreSQL COPY text format: backslash, tab, newline and carriage return are escaped."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass(frozen=True)
class _Text:
    """One distinct text, scored and matched once: what the pipeline gives every mention with it."""

    copy: str  # the text, escaped for COPY
    language: str
    label: str
    score: str  # COPY text: a number or \N
    confidence: str
    terms: tuple[int, ...]
    question: bool


class _Texts:
    """Score (configured model) and match (active tracked terms) each distinct text once."""

    def __init__(self):
        self.terms = [
            (term_id, parse(query))
            for term_id, query in TrackedTerm.objects.filter(is_active=True).values_list("id", "query")
        ]
        self.scorer = get_scorer()
        self.cache: dict[tuple[str, str, str, str], _Text] = {}

    def get(self, template: str, product: str, competitor: str, language: str) -> _Text:
        key = (template, product, competitor, language)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._make(template.format(p=product, c=competitor), language)
        return found

    def _make(self, text: str, language: str) -> _Text:
        tokens = tokenize(text)
        terms = tuple(term_id for term_id, query in self.terms if query.matches_tokens(tokens))
        if primary_language(language) in self.scorer.languages:
            score = self.scorer.score([text])[0]
            label, number, confidence = str(score.label), repr(score.score), repr(score.confidence)
        else:
            label, number, confidence = str(Sentiment.UNSCORED), r"\N", r"\N"
        return _Text(_copy_escape(text), language, label, number, confidence, terms, is_question(text))


@dataclass
class _Chunk:
    first: int  # index of its first mention in the run
    rows: list[str] = field(default_factory=list)  # COPY lines of insights_mention, without the leading id
    terms: list[tuple[int, ...]] = field(default_factory=list)  # per row
    hours: set[int] = field(default_factory=set)  # epoch hours touched
    marks: str = ""  # COPY lines of insights_rollupmark: one per hour touched


def _day_counts(count: int, days: int) -> list[int]:
    """Mentions per day ago, in proportion to the demo's daily weights (largest remainders)."""
    weights = [demo._spike_weight(d)[0] * (1 + 0.4 * (d < 120)) for d in range(days)]
    total = sum(weights)
    exact = [count * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(days), key=lambda d: counts[d] - exact[d])
    for d in by_remainder[: count - sum(counts)]:
        counts[d] += 1
    return counts


class _Generator:
    """Rows like demo.demo_mentions's, oldest day first (ids grow with time, as in real life), in chunks."""

    def __init__(self, *, count: int, days: int, seed: int, source: str, now: datetime):
        self.count, self.days, self.seed = count, days, seed
        self.source = _copy_escape(source)
        self.now = int(now.timestamp())
        self.received = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")
        self.texts = _Texts()
        active = dict(Channel.objects.filter(is_active=True).values_list("slug", "id"))
        online = [(slug, weight) for slug, weight in demo.ONLINE_CHANNELS if slug in active]
        if not online:
            raise CommandError("No active online channel of the demo's (twitter, reddit…): nothing to generate.")
        self.online = [(active[slug], f"https://{slug}.example/posts/") for slug, _ in online]
        self.online_cum = []
        running = 0
        for _, weight in online:
            running += weight
            self.online_cum.append(running)
        self.offline = [(active[slug], template) for slug, template in demo.OFFLINE_NOTES if slug in active]
        self.authors = [
            (f"@{first.lower()}{last.lower()}", f"{first} {last}")
            for first in demo.FIRST_NAMES
            for last in demo.LAST_NAMES
        ]
        self.hour_text: dict[int, str] = {}
        self.workflow = _Workflow(now=self.now)

    def hour(self, epoch_hour: int) -> str:
        """'YYYY-MM-DD HH:' of an epoch hour (cached: a chunk has a few hundred)."""
        text = self.hour_text.get(epoch_hour)
        if text is None:
            text = self.hour_text[epoch_hour] = datetime.fromtimestamp(epoch_hour * 3600, UTC).strftime("%Y-%m-%d %H:")
        return text

    def stamp(self, epoch: int) -> str:
        """COPY text of a moment given in epoch seconds."""
        seconds = epoch % 3600
        return f"{self.hour(epoch // 3600)}{seconds // 60:02d}:{seconds % 60:02d}+00"

    def chunks(self, size: int) -> Iterator[_Chunk]:  # noqa: C901 - one hot loop, kept flat for speed
        rng = random.Random(self.seed)
        rand, pareto = rng.random, rng.paretovariate
        log = math.log
        texts, hour, workflow = self.texts.get, self.hour, self.workflow.columns
        online, online_cum, online_total = self.online, self.online_cum, self.online_cum[-1]
        offline, authors = self.offline, self.authors
        products, competitors = demo.PRODUCTS, demo.COMPETITORS
        positive, neutral, negative = demo.POSITIVE, demo.NEUTRAL, demo.NEGATIVE
        competitor_only, other_language = demo.COMPETITOR_ONLY, demo.OTHER_LANGUAGE
        source, run, received = self.source, run_id(self.seed), self.received
        can_backlash = negative[1]
        version = scorer_version(self.texts.scorer)  # as ingest stores it: the learned version, \N for VADER
        scored_by = r"\N" if version is None else str(version)
        offline_share = 0.06 if offline else 0.0
        n = 0
        chunk = _Chunk(first=0)
        rows, terms, hours = chunk.rows, chunk.terms, chunk.hours
        for day_ago, day_count in reversed(list(enumerate(_day_counts(self.count, self.days)))):
            negative_share = demo._spike_weight(day_ago)[1]
            backlash = 19 <= day_ago <= 21
            day_end = self.now - day_ago * DAY_S
            for _ in range(day_count):
                published = day_end - int(rand() * DAY_S)
                product = products[int(rand() * len(products))]
                competitor = competitors[int(rand() * len(competitors))]
                language = "en"
                channel_id, url = online[bisect(online_cum, rand() * online_total)]
                roll = rand()
                if roll < offline_share:
                    channel_id, template = offline[int(rand() * len(offline))]
                    url = ""
                elif roll < 0.09:
                    language, template = other_language[int(rand() * len(other_language))]
                elif roll < 0.17:
                    template = competitor_only[int(rand() * len(competitor_only))]
                elif backlash and rand() < 0.6:
                    template = can_backlash  # everyone talks about the can
                else:
                    mood = rand()
                    pool = negative if mood < negative_share else neutral if mood < negative_share + 0.25 else positive
                    template = pool[int(rand() * len(pool))]
                text = texts(template, product, competitor, language)
                handle, name = authors[int(rand() * len(authors))]
                reach = int(pareto(1.2) * 80)
                if url:
                    url = f"{url}{run}-{n}"
                    likes = int(-log(1.0 - rand()) * 12)
                    shares = int(-log(1.0 - rand()) * 3)
                    comments = int(-log(1.0 - rand()) * 4)
                else:
                    likes = shares = comments = 0
                epoch_hour = published // 3600
                hours.add(epoch_hour)
                seconds = published - epoch_hour * 3600
                rows.append(
                    f"{channel_id}\t{source}\t{run}-{n:09d}\t{url}\t{handle}{10 + int(rand() * 89)}\t{name}\t{reach}\t"
                    f"{text.copy}\t{text.language}\t{hour(epoch_hour)}{seconds // 60:02d}:{seconds % 60:02d}+00\t"
                    f"{received}\t{likes}\t{shares}\t{comments}\t{text.label}\t{text.score}\t{text.confidence}\t"
                    f"{text.label}\t{workflow(rand, published, channel_id, text, reach, self.stamp)}\t{scored_by}\n"
                )
                terms.append(text.terms)
                n += 1
                if len(rows) == size:
                    yield self._finish(chunk)
                    chunk = _Chunk(first=n)
                    rows, terms, hours = chunk.rows, chunk.terms, chunk.hours
        if rows:
            yield self._finish(chunk)

    def _finish(self, chunk: _Chunk) -> _Chunk:
        chunk.marks = "".join(f"{self.hour(h)}00:00+00\t{self.received}\n" for h in sorted(chunk.hours))
        return chunk


class _Workflow:
    """Triage as a team leaves it: older mentions that need an answer mostly got one (most within their channel's
    target, some late), some were routed to a department or needed nothing; the last two days are still open."""

    COLUMNS = ["department_id", "assignee_id", "first_response_at", "first_response_kind"]
    RECENT_S = 2 * DAY_S

    def __init__(self, *, now: int):
        from accounts.models import Department, User
        from accounts.roles import Role

        self.now = now
        self.targets = response_targets()
        self.high_reach = high_reach()
        self.departments = [str(pk) for pk in Department.objects.values_list("pk", flat=True)]
        self.staff = [
            str(pk) for pk in User.objects.filter(groups__name=Role.INSIGHTS_STAFF).values_list("pk", flat=True)
        ]

    def columns(self, rand, published: int, channel_id: int, text: _Text, reach: int, stamp) -> str:
        """COPY text of status, is_question, response_due_at and COLUMNS for one mention."""
        target = self.targets.get(channel_id)
        due = stamp(published + target * 60) if target else r"\N"
        department = assignee = answered = r"\N"
        kind = ""
        roll = rand()
        needs = text.label == Sentiment.NEGATIVE or text.question or reach >= self.high_reach
        if self.now - published < self.RECENT_S:
            status = "new" if roll < 0.6 else "assigned" if roll < 0.85 else "responded"
        elif needs:
            status = "responded" if roll < 0.7 else "routed" if roll < 0.82 else "no_action" if roll < 0.95 else "new"
        else:
            status = "no_action" if roll < 0.85 else "responded" if roll < 0.95 else "new"
        if status != "new" and self.staff:
            assignee = self.staff[int(rand() * len(self.staff))]
        if status == "routed" and self.departments:
            department = self.departments[int(rand() * len(self.departments))]
        if status == "responded" or (status == "routed" and rand() < 0.5):
            # Minutes to answer: log-normal around half the target (or two hours), a long tail past it.
            minutes = (target or 240) * 0.5 * math.exp(rand() * 2.4 - 1.2) * (3 if rand() < 0.12 else 1)
            answered, kind = stamp(min(self.now, published + int(minutes * 60))), "reply"
        return "\t".join([status, "t" if text.question else "f", due, department, assignee, answered, kind])


def _copy(cursor, model, columns: list[str], lines: str) -> None:
    q = connection.ops.quote_name
    names = ", ".join(q(model._meta.get_field(name).column) for name in columns)
    cursor.copy_expert(f"COPY {q(model._meta.db_table)} ({names}) FROM STDIN", io.StringIO(lines), 1 << 20)


def copy_load(
    *, count: int, source: str, days: int, seed: int, chunk: int = COPY_CHUNK, jobs: int = 1, progress=None
) -> LoadResult:
    """Generate and COPY the mentions, their term links and rollup marks, one transaction per chunk.

    With `jobs` > 1, that many threads COPY chunks at once, each on its own connection, while this
    thread generates the next ones (PostgreSQL does most of the work, and psycopg2 releases the GIL
    while it waits). Inside a transaction (a test) it stays on this thread's connection.
    """
    generator = _Generator(count=count, days=days, seed=seed, source=source, now=timezone.now())
    loader = _ChunkLoader(count=count, source=source, seed=seed, progress=progress)
    if jobs <= 1 or connection.in_atomic_block:
        for part in generator.chunks(chunk):
            loader.load(part)
    else:
        _in_threads(loader, generator.chunks(chunk), jobs)
    if loader.result.created:
        q = connection.ops.quote_name
        with connection.cursor() as cursor:  # fresh statistics for the planner, as autovacuum would give later
            cursor.execute(f"ANALYZE {q(Mention._meta.db_table)}, {q(MentionTerm._meta.db_table)}")
    return loader.result


class _ChunkLoader:
    """Loads one chunk in one transaction, on the calling thread's connection."""

    def __init__(self, *, count: int, source: str, seed: int, progress=None):
        self.count, self.source, self.seed, self.progress = count, source, seed, progress
        self.result = LoadResult()
        self.done = 0
        self.lock = threading.Lock()
        q = connection.ops.quote_name
        self.table = q(Mention._meta.db_table)
        self.sequence: str | None = None

    def load(self, part: _Chunk) -> None:
        size, run = len(part.rows), run_id(self.seed)
        with transaction.atomic(), connection.cursor() as cursor:
            # Idempotent: a chunk is all there (same seed, run before) or not at all (one transaction each).
            cursor.execute(
                f"SELECT count(*) FROM {self.table} WHERE source = %s AND external_id BETWEEN %s AND %s",
                [self.source, external_id(run, part.first), external_id(run, part.first + size - 1)],
            )
            there = cursor.fetchone()[0]
            if there and there != size:
                raise CommandError(
                    f"{there:,} of the {size:,} mentions {external_id(run, part.first)}… are already there, "
                    "from a run with the same --seed but another COUNT, --days or --chunk: use another --seed."
                )
            if not there:
                ids = self._reserve_ids(cursor, size)
                rows = "".join([f"{i}\t{row}" for i, row in zip(ids, part.rows, strict=True)])
                _copy(cursor, Mention, ["id", *MENTION_COLUMNS, *_Workflow.COLUMNS, "scored_by_version"], rows)
                links = [f"{i}\t{term}\n" for i, row_terms in zip(ids, part.terms, strict=True) for term in row_terms]
                _copy(cursor, MentionTerm, ["mention_id", "term_id"], "".join(links))
                _copy(cursor, RollupMark, ["hour", "created_at"], part.marks)
        with self.lock:
            if there:
                self.result.skipped += size
            else:
                self.result.created += size
                self.result.links += len(links)
                self.result.hours += part.marks.count("\n")
            self.done += size
            if self.progress:
                self.progress(self.done, self.count)

    def _reserve_ids(self, cursor, size: int) -> list[int]:
        """Ids from the table's own sequence, as INSERTs take them: no clash with concurrent writers."""
        if self.sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Mention._meta.db_table])
            self.sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence, size])
        return [row[0] for row in cursor.fetchall()]


def _in_threads(loader: _ChunkLoader, chunks: Iterator[_Chunk], jobs: int) -> None:
    """`jobs` threads load the chunks this thread generates; the first error stops everything."""
    pending: queue.Queue = queue.Queue(maxsize=jobs)  # bounds memory: a chunk of 100,000 is about 30 MB
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while (part := pending.get()) is not None:
                if errors:
                    continue  # drain until the end, so the producer never blocks
                try:
                    loader.load(part)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
                    errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, name=f"generate_mentions-{n}", daemon=True) for n in range(jobs)]
    for thread in threads:
        thread.start()
    try:
        for part in chunks:
            if errors:
                break
            pending.put(part)
    finally:
        for _ in threads:
            pending.put(None)
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
