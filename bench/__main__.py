"""Prepare the bench database, run the benchmark suites, print one JSON line per figure.

`python -m bench [SUITE ...]`; with no suite named, every suite runs. Adding a benchmark
means adding a figure to a suite, or a suite to SUITES: a function `run(bench, options)`
that yields figure dicts, each with a `limit` (DESIGN.md "Performance rules").

Exit status: 0 when every figure ran without errors, 1 when some request failed, 2 when
the bench could not run (no PostgreSQL, a failed migration...), 130 on Ctrl-C.
"""

import argparse
import json
import re
import signal
import sys
import time
from contextlib import closing

from bench import (
    BenchError,
    alerts,
    councils_report,
    dashboard,
    feed,
    ingest,
    log,
    referrals,
    responses,
    rollups,
    search,
    sentiment,
    sentiment_offline,
    sentiment_rescore,
    triage,
    web,
)
from bench import intranet_import as intranet_import_suite
from bench.prepare import bench_prepare

SUITES = {
    "http": web.run,  # pages and API under gunicorn
    "ingest": ingest.run,  # POST /api/v1/mentions/bulk under gunicorn, against raw VADER
    "rollups": rollups.run,  # rollup passes and GET /api/v1/rollups over 5,000,000 mentions
    "referrals": referrals.run,  # GET /r/<code>, the referral redirect, under gunicorn
    "alerts": alerts.run,  # a spike's bulk POST to its alert email, with a Celery worker and beat
    "triage": triage.run,  # the triage inbox's first page, filtered on label and term, on the database's mentions
    "response_times": responses.run,  # GET /api/v1/response-times for a year by week, on the database's mentions
    "dashboard": dashboard.run,  # the staff dashboard (one client, after a rollup pass) and a large CSV export
    "intranet_import": intranet_import_suite.run,  # manage.py intranet_import of 100,000 invented lines, then again
    "feed": feed.run,  # the intranet's feeds, GET /api/v1/posts and the hot/top idea lists (bench.intranet_data)
    "search": search.run,  # the intranet search page over 100,000 posts and 10,000 ideas (bench.intranet_data)
    "sentiment": sentiment.run,  # staff corrections through the API (gunicorn, a worker), queue vs random vs VADER
    "sentiment_offline": sentiment_offline.run,  # the same by calling the library: no server, no database, seconds
    "sentiment_rescore": sentiment_rescore.run,  # re-scoring 1,000,000 mentions after an activation, then VADER again
    "councils_report": councils_report.run,  # the councils' reports: a first draft, the published page, the PDF
}


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(argv)
    # `kill` (SIGTERM) stops the bench like Ctrl-C does, through the `finally`s that stop gunicorn.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        bench = bench_prepare()
        failed = []
        for name in options.suites or list(SUITES):
            # Other work on the machine skews the figures (2 cores here): say how busy it was before the suite.
            busy_before = cpu_busy()
            if busy_before is not None and busy_before > 0.2:
                log(f"warning: the CPUs were {busy_before:.0%} busy before the {name} suite: its figures will suffer")
            with closing(SUITES[name](bench, options)) as figures:  # closing: the server stops on any exit
                for figure in figures:
                    figure.setdefault("cpu_busy_before", busy_before)
                    print(json.dumps(figure), flush=True)
                    if figure.get("errors"):
                        failed.append(figure["figure"])
    except BenchError as exc:
        log(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    if failed:
        log(f"requests failed in: {', '.join(failed)}")
        return 1
    return 0


def cpu_busy(seconds: float = 2) -> float | None:
    """The share of all CPUs' time spent busy over the next `seconds` (Linux's /proc/stat; None elsewhere)."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
        idle = ticks[3] + ticks[4]  # idle + iowait
        return sum(ticks) - idle, sum(ticks)

    try:
        busy0, total0 = sample()
        time.sleep(seconds)
        busy1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return round((busy1 - busy0) / max(total1 - total0, 1), 2)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"one of: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--duration", type=_seconds, default=10, help="seconds measured per figure (default: 10)")
    parser.add_argument("--warmup", type=_seconds, default=2, help="seconds of load before measuring (default: 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client processes, one connection each (default: 8)")
    ingest_options = parser.add_argument_group("ingest suite")
    ingest_options.add_argument("--ingest-batch", type=int, default=2000, help="items per POST (default: 2000)")
    ingest_options.add_argument(
        "--ingest-batches", type=int, default=6, help="measured batches per client, after one warm-up (default: 6)"
    )
    ingest_options.add_argument("--ingest-clients", type=int, default=4, help="client processes (default: 4)")
    ingest_options.add_argument(
        "--ingest-workers",
        default=ingest.WORKERS,
        help=f"gunicorn workers: sync:N or gthread:NxTHREADS (default: {ingest.WORKERS})",
    )
    rollup_options = parser.add_argument_group("rollups suite")
    rollup_options.add_argument(
        "--dataset-size", type=int, default=5_000_000, help="mentions in the dataset (default: 5,000,000)"
    )
    rollup_options.add_argument(
        "--rebuild-dataset", action="store_true", help="empty the mention tables and load the dataset again"
    )
    rollup_options.add_argument(
        "--incremental", type=int, default=100_000, help="new mentions before the incremental pass (default: 100,000)"
    )
    dashboard_options = parser.add_argument_group("dashboard suite (also --dataset-size)")
    dashboard_options.add_argument(
        "--dataset-ready",
        action="store_true",
        help="the database (DATABASE_URL) already holds the mentions: load none",
    )
    dashboard_options.add_argument(
        "--passes", type=int, default=5, help="rollup passes, each followed by one timed request (default: 5)"
    )
    dashboard_options.add_argument(
        "--export-rows", type=int, default=1_000_000, help="mentions in the CSV export (default: 1,000,000)"
    )
    sentiment_options = parser.add_argument_group("sentiment suite")
    sentiment_options.add_argument(
        "--sentiment-arms", type=_names, default=["queue", "random"], help="queue,random (default: both)"
    )
    sentiment_options.add_argument(
        "--sentiment-draws", type=_numbers, default=[0, 1, 2], help="seeds of the random arm (default: 0,1,2)"
    )
    import_options = parser.add_argument_group("intranet_import suite")
    import_options.add_argument(
        "--import-lines", type=int, default=100_000, help="lines in the imported file (default: 100,000)"
    )
    options = parser.parse_args(argv)
    unknown = [name for name in options.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    if options.duration <= 0 or options.warmup < 0 or options.concurrency < 1:
        parser.error("--duration must be > 0, --warmup >= 0 and --concurrency >= 1")
    if not (1 <= options.ingest_batch <= 5000) or options.ingest_batches < 1 or options.ingest_clients < 1:
        parser.error("--ingest-batch must be 1-5000 (the API's maximum), --ingest-batches and --ingest-clients >= 1")
    if not re.fullmatch(r"sync:[1-9]\d*|gthread:[1-9]\d*x[1-9]\d*", options.ingest_workers):
        parser.error("--ingest-workers must look like sync:3 or gthread:2x4")
    if options.dataset_size < 1 or options.incremental < 1:
        parser.error("--dataset-size and --incremental must be >= 1")
    if options.passes < 1 or options.export_rows < 1:
        parser.error("--passes and --export-rows must be >= 1")
    return options


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names or set(names) - {"queue", "random"}:
        raise argparse.ArgumentTypeError("queue, random or queue,random")
    return names


def _numbers(text: str) -> list[int]:
    try:
        return [int(n) for n in text.split(",") if n.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("comma-separated whole numbers, e.g. 0,1,2") from None


def _seconds(text: str) -> int | float:
    """10, not 10.0, in the figures when the number is whole."""
    value = float(text)
    return int(value) if value.is_integer() else value


if __name__ == "__main__":
    sys.exit(main())
