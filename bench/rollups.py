"""The `rollups` suite: rollup passes and the rollups API over millions of mentions.

The dataset (5,000,000 mentions by default, over the last 395 days with the demo's spikes)
is loaded once per bench database by `generate_mentions` (COPY) and reused while the table
holds at least that many; `--rebuild-dataset` empties the mention tables and loads it again.

Figures:
- `generate_mentions_copy` (only when the dataset was loaded in this run), against COPY's rate;
- `rollup_rebuild_5m`: every rollup recounted, against one plain GROUP BY of the same mentions;
- `rollup_incremental_100k_into_5m`: 100,000 new mentions of the last day, then one incremental
  pass; target under 5 s. They are deleted afterwards (and their hours recounted);
- `api_rollups_year_daily_by_term`: GET /api/v1/rollups for a year of daily series by term,
  one client at a time (target p95 under 100 ms), then at --concurrency. The answer is cached
  until the next rollup pass, so these measure what most requests cost. The answer reads the
  day rows summed over channels (DailyTermRollup); `daily_rollup_rows_per_channel` is how many
  rows per channel (DailyRollup) it would read without them;
- `api_rollups_year_daily_by_term_uncached`: the same, one client, but every request asks for a
  range (a year and a few days) not asked before, so each one is computed from the rollups, as
  the first request after a pass is.

`BENCH_ROLLUPS_API_ONLY=1` in the environment skips the rebuild and incremental figures (a few
minutes) and measures only the API.
"""

import os
import re
import time
from argparse import Namespace
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench import log
from bench.jobs import job
from bench.load import HOST, REQUEST_TIMEOUT_S, Target, load_measure, percentile
from bench.prepare import Bench
from bench.server import gunicorn
from bench.web import check_answers_ok

DATASET_SOURCE = "generated"
INCREMENTAL_SOURCE = "bench-incremental"
INCREMENTAL_TARGET_S = 5
API_TARGET_P95_MS = 100
ORG_TIME_ZONE = "America/New_York"  # settings.TIME_ZONE's default: "today" for the API's range
LOAD_TIMEOUT_S = 1800  # 5,000,000 mentions load in a few minutes here
REBUILD_TIMEOUT_S = 1800
COPY_LIMIT = "PostgreSQL COPY loads 110k-140k rows/s (DESIGN.md)"
GROUP_BY_LIMIT = "DESIGN.md: a GROUP BY over 10M rows takes about 4 s, re-aggregating one day of them 0.02 s"
PAGE_LIMIT = "about 900 req/s: a Django page on Postgres under gunicorn with persistent connections (DESIGN.md)"


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    size = options.dataset_size
    loaded = dataset_ensure(bench, size, rebuild=options.rebuild_dataset)
    if loaded is not None:
        yield loaded
    mentions = job(bench, "status")["mentions"]
    label = _millions(size)
    if os.environ.get("BENCH_ROLLUPS_API_ONLY") == "1":
        log("BENCH_ROLLUPS_API_ONLY=1: only the API figures")
        yield from _api_figures(bench, options, mentions)
        return

    log(f"rollup_rebuild_{label}: recounting every rollup of {mentions:,} mentions")
    raw = job(bench, "raw-group-by", timeout_s=REBUILD_TIMEOUT_S)
    rebuilt = job(bench, "rollup-refresh", "--rebuild", timeout_s=REBUILD_TIMEOUT_S)
    job(bench, "vacuum", timeout_s=REBUILD_TIMEOUT_S)  # the old rollup rows are dead: as autovacuum would
    yield {
        "figure": f"rollup_rebuild_{label}",
        "seconds": rebuilt["seconds"],
        "rows": rebuilt["rows"],
        "mentions": mentions,
        "raw_group_by_s": raw["seconds"],
        "ratio_to_raw": round(rebuilt["seconds"] / raw["seconds"], 2),
        "limit": f"one plain GROUP BY (hour, channel, label) of the same mentions, this run: {raw['seconds']} s; "
        + GROUP_BY_LIMIT,
    }

    count = options.incremental
    log(f"rollup_incremental: loading {count:,} mentions of the last day, then one incremental pass")
    bench.manage("generate_mentions", str(count), "--source", INCREMENTAL_SOURCE, "--days", "1", "-v", "0",
                 timeout_s=LOAD_TIMEOUT_S)  # fmt: skip
    try:
        refreshed = job(bench, "rollup-refresh", timeout_s=REBUILD_TIMEOUT_S)
    finally:
        _delete(bench, INCREMENTAL_SOURCE)
    yield {
        "figure": f"rollup_incremental_{count // 1000}k_into_{label}",
        "seconds": refreshed["seconds"],
        "target_s": INCREMENTAL_TARGET_S,
        "hours": refreshed["hours"],
        "days": refreshed["days"],
        "rows": refreshed["rows"],
        "mentions": mentions + count,
        "new_mentions_spread": "last day",
        "limit": GROUP_BY_LIMIT,
    }

    yield from _api_figures(bench, options, mentions)


def _api_figures(bench: Bench, options: Namespace, mentions: int) -> Iterator[dict]:
    today = datetime.now(ZoneInfo(ORG_TIME_ZONE)).date()
    start = today - timedelta(days=365)
    path = f"/api/v1/rollups?bucket=day&group_by=term&start={start}&end={today}"
    read = job(bench, "daily-rows", str(start), str(today))["rows"]
    api_key = bench.manage("create_api_key", "--name", f"bench rollups {time.strftime('%Y-%m-%d %H:%M:%S')}",
                           "--scopes", "mentions:read").strip()  # fmt: skip
    with gunicorn(bench.env) as port:
        target = Target(port=port, path=path, headers={"Authorization": f"Api-Key {api_key}"})
        check_answers_ok(target)
        for figure, concurrency, target_p95 in (
            ("api_rollups_year_daily_by_term", 1, API_TARGET_P95_MS),
            ("api_rollups_year_daily_by_term_concurrent", options.concurrency, None),
        ):
            log(f"{figure}: GET {path}, {options.warmup} s warm-up + {options.duration} s at concurrency {concurrency}")
            numbers = load_measure(
                target, concurrency=concurrency, warmup_s=options.warmup, duration_s=options.duration
            )
            yield {
                "figure": figure,
                "path": path,
                **numbers,
                **({"target_p95_ms": target_p95} if target_p95 else {}),
                "concurrency": concurrency,
                "duration_s": options.duration,
                "mentions": mentions,
                "daily_rollup_rows_per_channel": read,
                "limit": PAGE_LIMIT,
            }
        figure = "api_rollups_year_daily_by_term_uncached"
        log(f"{figure}: GET about a year of daily series by term, a new range each time, {options.duration} s")
        yield {
            "figure": figure,
            "path": f"/api/v1/rollups?bucket=day&group_by=term&start={start}-a days&end={today}-b days",
            **_uncached_measure(target, start, today, warmup_s=options.warmup, duration_s=options.duration),
            "concurrency": 1,
            "duration_s": options.duration,
            "mentions": mentions,
            "limit": PAGE_LIMIT,
        }


def _uncached_measure(target: Target, start, end, *, warmup_s: float, duration_s: float) -> dict:
    """One client, sequential requests, each for a range not asked before (so not in the cache): it
    starts up to 29 days earlier and ends up to 29 days earlier than the year of the cached figure."""
    from http.client import HTTPConnection, HTTPException

    connection = HTTPConnection(HOST, target.port, timeout=REQUEST_TIMEOUT_S)
    latencies, errors, shift = [], 0, 0
    measure_from = time.time() + warmup_s
    stop = measure_from + duration_s
    while (began := time.time()) < stop:
        shift += 1
        earlier_start, earlier_end = shift % 30, shift // 30 % 30
        first, last = start - timedelta(days=earlier_start), end - timedelta(days=earlier_end)
        path = f"/api/v1/rollups?bucket=day&group_by=term&start={first}&end={last}"
        t0 = time.perf_counter()
        try:
            connection.request("GET", path, headers=target.headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, HTTPException):
            connection.close()
            status = 0
        if began >= measure_from:
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += status != 200
    connection.close()
    latencies.sort()
    return {
        "requests_per_s": round(len(latencies) / duration_s, 1),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "requests": len(latencies),
        "errors": errors,
    }


def dataset_ensure(bench: Bench, size: int, *, rebuild: bool = False) -> dict | None:
    """Load the dataset unless the table already holds `size` mentions; a figure when it loaded."""
    status = job(bench, "status", DATASET_SOURCE, INCREMENTAL_SOURCE)
    if status["by_source"].get(INCREMENTAL_SOURCE):
        log("deleting the mentions left by an interrupted incremental figure")
        _delete(bench, INCREMENTAL_SOURCE)
    if rebuild:
        log("--rebuild-dataset: emptying the mention and rollup tables")
        job(bench, "truncate")
        bench.manage("seed_demo", "--force")  # the demo's 20,000 mentions, as bench_prepare left them
        # The truncate job leaves the day rows summed over channels (DailyTermRollup): recount
        # every rollup from the demo's mentions (seconds), so no day keeps the old dataset's sums.
        bench.manage("rollup_mentions", "--rebuild", timeout_s=REBUILD_TIMEOUT_S)
        status = job(bench, "status")
    missing = size - status["mentions"]
    if missing <= 0:
        log(f"dataset: {status['mentions']:,} mentions already there (--rebuild-dataset to load it again)")
        return None
    log(f"dataset: loading {missing:,} mentions with generate_mentions (COPY)")
    started = time.perf_counter()
    output = bench.manage("generate_mentions", str(missing), "--source", DATASET_SOURCE, "-v", "0",
                          timeout_s=LOAD_TIMEOUT_S)  # fmt: skip
    seconds = time.perf_counter() - started
    log(output.strip())
    links = int(re.search(r"\(([\d,]+) term links", output).group(1).replace(",", ""))
    vacuum = job(bench, "vacuum", timeout_s=REBUILD_TIMEOUT_S)
    return {
        "figure": "generate_mentions_copy",
        "mentions": missing,
        "seconds": round(seconds, 1),
        "mentions_per_s": round(missing / seconds),
        "rows_per_s": round((missing + links) / seconds),
        "term_links": links,
        "vacuum_analyze_s": vacuum["seconds"],
        "limit": COPY_LIMIT,
    }


def _delete(bench: Bench, source: str) -> None:
    deleted = job(bench, "delete-source", source)
    refreshed = job(bench, "rollup-refresh", timeout_s=REBUILD_TIMEOUT_S)
    job(bench, "vacuum", timeout_s=REBUILD_TIMEOUT_S)
    log(f"deleted the {source} mentions; {deleted['hours_marked']} hours recounted in {refreshed['seconds']} s")


def _millions(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"
