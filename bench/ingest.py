"""The `ingest` suite: POST /api/v1/mentions/bulk end to end under gunicorn, against raw VADER, with the
demo's tracked terms, with 200 terms and with a term at the query limits (SCENARIOS).

Every mention pays for HTTP, JSON, validation, term matching, VADER, the idempotent insert,
term links and rollup marks. The raw limit is the scorer alone: vaderSentiment's
`polarity_scores` in a plain loop, one process, over the same texts, measured in the same run.
The target is a ratio of at least 0.3 (DESIGN.md: VADER scores 11k–17k texts/s on one core).

Texts come from `insights.demo.demo_mentions` (with its channels, authors and engagement),
published within the last day, as a listening tool would send them; external ids are new for
every run, so each item is created, not counted as a duplicate. The demo's 8 tracked terms
are there (`seed_demo`). The mentions are deleted afterwards, their hours recounted, so runs
do not grow the bench database.
"""

import json
import multiprocessing
import queue
import signal
import threading
import time
from argparse import Namespace
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException

from bench import BenchError, log
from bench.jobs import job
from bench.load import percentile
from bench.prepare import Bench
from bench.server import HOST, gunicorn

SOURCE = "bench-ingest"
TARGET_RATIO = 0.3
# The production image's setting (Dockerfile, docker-compose: 3 sync workers). A batch keeps a
# worker busy for a second or more, so keep-alive buys nothing here, and gthread's kept-alive
# connections stay with the worker that accepted them, which can leave one core idle.
WORKERS = "sync:3"
REQUEST_TIMEOUT_S = 120  # one batch; gunicorn's own worker timeout (30 s) comes first
START_DELAY_S = 1.0  # time for every client process to start before the agreed instant
MAX_MEASURE_S = 300  # whatever the counts, the measured phase stops sending after this


@dataclass(frozen=True)
class BatchResult:
    started: float  # wall clock
    finished: float
    status: int  # 0: no HTTP answer
    created: int
    duplicates: int
    rejected: int
    measured: bool


# (figure, extra terms, which terms are tracked, whether items carry their language): the demo's 8 terms, then
# as a listening team with 200 terms, then with one term at the query limits (insights.query: 1,000 characters,
# 50 terms), then the demo's terms with no language on any item, so that every mention's language is detected
# (insights.languages; a mention that names its language skips detection).
SCENARIOS = [
    ("ingest_bulk_api", None, "the 8 demo terms", True),
    ("ingest_bulk_api_200_terms", "realistic", "the 8 demo terms and 192 realistic ones", True),
    ("ingest_bulk_api_longest_query", "longest", "the 8 demo terms and one at the query limits", True),
    ("ingest_bulk_api_no_language", None, "the 8 demo terms; no item names its language: all detected", False),
]
# insights.languages' defaults (config/settings.py INSIGHTS_DETECT_LANGUAGES, _MIN_DISTANCE, INSIGHTS_DEFAULT_LANGUAGE)
DETECT = {"codes": ("de", "en", "es", "fr", "it", "nl", "pt"), "distance": 0.25, "default": "en"}


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    """Yield the `ingest_bulk_api*` figures, one per scenario of SCENARIOS."""
    status = job(bench, "status", SOURCE)
    if status["demo_terms"] != 8:
        raise BenchError(f"the 8 demo tracked terms must be active (found {status['demo_terms']}); run seed_demo.")
    if status["by_source"].get(SOURCE):
        log(f"deleting {status['by_source'][SOURCE]:,} mentions left by an interrupted run")
        _cleanup(bench)
    job(bench, "bench-terms-delete")  # left by an interrupted run
    clients, per_client, size = options.ingest_clients, options.ingest_batches, options.ingest_batch
    api_key = bench.manage("create_api_key", "--name", f"bench ingest {time.strftime('%Y-%m-%d %H:%M:%S')}",
                           "--scopes", "mentions:write").strip()  # fmt: skip
    headers = {"Authorization": f"Api-Key {api_key}", "Content-Type": "application/json"}
    vader_per_s = detect_per_s = None
    with gunicorn(bench.env, _worker_args(options.ingest_workers)) as port:
        for figure, extra_terms, tracked, with_language in SCENARIOS:
            batches = _batches(clients * (per_client + 1), size)  # +1: each client's warm-up batch
            if vader_per_s is None:
                texts = [item["text"] for batch in batches for item in batch]
                log(f"raw VADER loop over {min(len(texts), 20_000):,} of the texts, best of 3")
                vader_per_s = vader_raw_rate(texts)
                log(f"language detection alone over {min(len(texts), 5_000):,} of the texts, best of 3")
                detect_per_s = detect_raw_rate(texts)
            if not with_language:
                for batch in batches:
                    for item in batch:
                        item.pop("language", None)
            terms = job(bench, "bench-terms", extra_terms) if extra_terms else {"terms": status["demo_terms"]}
            bodies = [json.dumps(batch).encode() for batch in batches]
            try:
                log(f"{figure}: {clients} clients x (1 warm-up + {per_client}) batches of {size:,}; {tracked}")
                results = _post_all(port, headers, bodies, clients=clients)
            finally:
                _cleanup(bench)
                job(bench, "bench-terms-delete")
            yield _figure(results, vader_per_s, options, table_mentions=status["mentions"]) | {
                "figure": figure,
                "tracked_terms": terms["terms"],
                "terms": tracked,
                "languages_given": with_language,
                "detect_raw_per_s": round(detect_per_s, 1),
                "detect_us_per_mention": round(1e6 / detect_per_s, 1),
            }


def _batches(count: int, size: int) -> list[list[dict]]:
    from insights.demo import demo_mentions

    run = f"{time.time_ns():x}"
    items = demo_mentions(count * size, days=1, seed=time.time_ns())
    for n, item in enumerate(items):
        item["source"], item["external_id"] = SOURCE, f"{run}-{n}"
    return [items[i : i + size] for i in range(0, len(items), size)]


def vader_raw_rate(texts: list[str], *, passes: int = 3, per_pass: int = 20_000) -> float:
    """Texts per second of SentimentIntensityAnalyzer().polarity_scores in a plain loop, one process.

    The best of a few passes: the raw limit is what the machine can do, not what a busy moment let it.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    polarity = analyzer.polarity_scores
    for text in texts[:200]:  # warm the caches, as the server's scorer is warm
        polarity(text)
    sample = texts[:per_pass]
    best = 0.0
    for _ in range(passes):
        started = time.perf_counter()
        for text in sample:
            polarity(text)
        best = max(best, len(sample) / (time.perf_counter() - started))
    return best


def detect_raw_rate(texts: list[str], *, passes: int = 3, per_pass: int = 5_000) -> float:
    """Texts per second of insights.languages' detection alone (its default languages), one process, best of a few
    passes after a warm-up: what a mention without a language adds to ingest."""
    from insights.languages import detect_among

    detect_among(texts[:200], **DETECT)  # builds the detectors and loads their models
    sample = texts[:per_pass]
    best = 0.0
    for _ in range(passes):
        started = time.perf_counter()
        detect_among(sample, **DETECT)
        best = max(best, len(sample) / (time.perf_counter() - started))
    return best


def _post_all(port: int, headers: dict, bodies: list[bytes], *, clients: int) -> list[BatchResult]:
    """Each client sends its warm-up batch, waits for the others to be done with theirs, then the rest."""
    start = time.time() + START_DELAY_S
    warmed = multiprocessing.Barrier(clients)
    results: multiprocessing.Queue = multiprocessing.Queue()
    shares = [bodies[n::clients] for n in range(clients)]  # the first of each share is its warm-up batch
    processes = [
        multiprocessing.Process(target=_client, args=(port, headers, share, start, warmed, results), daemon=True)
        for share in shares
    ]
    for process in processes:
        process.start()
    try:
        collected: list[BatchResult] = []
        deadline = start + 2 * REQUEST_TIMEOUT_S + MAX_MEASURE_S + 10
        for _ in processes:
            try:
                collected.extend(results.get(timeout=max(deadline - time.time(), 1)))
            except queue.Empty:
                raise BenchError("an ingest client process died or hung; see its traceback above.") from None
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    return collected


def _client(port, headers, bodies, start, warmed, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    connection = HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    done: list[BatchResult] = []
    time.sleep(max(start - time.time(), 0))
    measure_from = None
    for n, body in enumerate(bodies):
        measured = n > 0
        if n == 1:
            try:
                warmed.wait(timeout=REQUEST_TIMEOUT_S)  # every client's warm-up batch is done
            except threading.BrokenBarrierError:
                break
            measure_from = time.time()
        if measured and time.time() > measure_from + MAX_MEASURE_S:
            break
        began = time.time()
        answer: dict = {}
        try:
            connection.request("POST", "/api/v1/mentions/bulk", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
            if status == 200:
                answer = json.loads(payload)
        except (OSError, HTTPException, ValueError):
            connection.close()
            status = 0
        done.append(
            BatchResult(
                started=began,
                finished=time.time(),
                status=status,
                created=answer.get("created", 0),
                duplicates=answer.get("duplicates", 0),
                rejected=answer.get("rejected", 0),
                measured=measured,
            )
        )
    connection.close()
    results.put(done)


def _figure(results: list[BatchResult], vader_per_s: float, options: Namespace, *, table_mentions: int) -> dict:
    measured = [r for r in results if r.measured]
    if not measured:
        raise BenchError("no measured ingest batch: the warm-up took the whole time.")
    window = min(r.started for r in measured), max(r.finished for r in measured)
    created = sum(r.created for r in measured)
    per_s = created / (window[1] - window[0])
    latencies = sorted((r.finished - r.started) * 1000 for r in measured)
    errors = sum(1 for r in results if r.status != 200 or r.duplicates or r.rejected)
    return {
        "figure": "ingest_bulk_api",
        "mentions_per_s": round(per_s, 1),
        "vader_raw_per_s": round(vader_per_s, 1),
        "ratio": round(per_s / vader_per_s, 3),
        "target_ratio": TARGET_RATIO,
        "created": created,
        "batches": len(measured),
        "batch_size": options.ingest_batch,
        "clients": options.ingest_clients,
        "workers": options.ingest_workers,
        "p50_batch_ms": percentile(latencies, 0.50),
        "p95_batch_ms": percentile(latencies, 0.95),
        "seconds": round(window[1] - window[0], 2),
        "errors": errors,
        "table_mentions": table_mentions,
        "limit": (
            "raw VADER loop (SentimentIntensityAnalyzer().polarity_scores, one process, best of 3) over the same "
            f"texts, this run: {vader_per_s:,.0f} texts/s (DESIGN.md: 11k-17k on one core); "
            f"target ratio >= {TARGET_RATIO}"
        ),
    }


def _cleanup(bench: Bench) -> None:
    """Delete the bench's mentions and recount their hours."""
    deleted = job(bench, "delete-source", SOURCE)
    refreshed = job(bench, "rollup-refresh")
    job(bench, "vacuum", timeout_s=600)
    log(f"cleaned up: {deleted['hours_marked']} hours marked, rollups refreshed in {refreshed['seconds']} s")


def _worker_args(spec: str) -> list[str]:
    """'sync:3' or 'gthread:2x4' as gunicorn arguments."""
    kind, _, numbers = spec.partition(":")
    workers, _, threads = numbers.partition("x")
    args = ["--worker-class", kind, "--workers", workers]
    return args + (["--threads", threads] if threads else [])
