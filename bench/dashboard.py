"""The `dashboard` suite: the staff dashboard and the mentions CSV export over millions of mentions.

The database comes from DATABASE_URL (bench.prepare). With `--dataset-ready` the suite creates no
mentions: another loader (e.g. the 5,000,000-mention one) has filled the database; otherwise it loads
`--dataset-size` mentions with `generate_mentions` when the table holds fewer (as the rollups suite does).

Figures:
- `page_staff_dashboard_<range>`: GET /staff/ as insights staff, one client, sequential requests, for
  the default range (30 days) and 90 days; target p95 under 100 ms. The rollup figures are cached per
  rollup pass, so these measure what most requests cost;
- `page_staff_dashboard_after_rollup_pass`: the first request after a pass that recounted something
  (so every cached figure is stale), --passes times; target under 300 ms;
- `csv_export_mentions`: GET /insights/mentions/export.csv for the newest --export-rows mentions (whole
  days: `?start=<day>`), read to the end, from a gunicorn with one worker whose resident memory is
  sampled throughout; target: the worker's memory grows by less than 200 MB.

`python -m bench.dashboard pass|export-start ROWS` runs the database side inside Django.
"""

import json
import os
import sys
import threading
import time
from argparse import Namespace
from collections.abc import Iterator
from datetime import UTC
from http.client import HTTPConnection
from pathlib import Path

from bench import BenchError, log
from bench.jobs import job
from bench.load import HOST, Target, load_measure
from bench.prepare import Bench
from bench.rollups import dataset_ensure
from bench.server import gunicorn
from bench.web import check_answers_ok, session_login

LOGIN_EMAIL = "ana.insights@carlssoda.example"  # insights staff (seed_demo)
LOGIN_PASSWORD = "carls-soda-demo"
PAGE_TARGET_P95_MS = 100
FIRST_AFTER_PASS_TARGET_MS = 300
EXPORT_TARGET_GROWTH_MB = 200
PAGE_LIMIT = "about 900 req/s: a Django page on Postgres under gunicorn with persistent connections (DESIGN.md)"
EXPORT_LIMIT = "the issue: a 1,000,000-row CSV export streamed without the worker's memory growing past 200 MB"
# One worker, one thread: the memory sampled is the export's alone. A long timeout: a million rows take a while.
EXPORT_WORKER_ARGS = ["--worker-class", "gthread", "--workers", "1", "--threads", "1", "--timeout", "1800"]
EXPORT_TIMEOUT_S = 1800
PAGES = [("page_staff_dashboard_30_days", "/staff/"), ("page_staff_dashboard_90_days", "/staff/?range=90")]


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    if options.dataset_ready:
        log("--dataset-ready: using the mentions already in the database")
    else:
        loaded = dataset_ensure(bench, options.dataset_size)
        if loaded is not None:
            yield loaded
    mentions = job(bench, "status")["mentions"]
    log("one rollup pass, so that the rollups hold every mention")
    job(bench, "rollup-refresh", timeout_s=EXPORT_TIMEOUT_S)

    with gunicorn(bench.env) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        for figure, path in PAGES:
            target = Target(port=port, path=path, headers=headers)
            check_answers_ok(target)
            log(f"{figure}: GET {path}, one client, {options.warmup} s warm-up + {options.duration} s")
            numbers = load_measure(target, concurrency=1, warmup_s=options.warmup, duration_s=options.duration)
            yield {
                "figure": figure,
                "path": path,
                **numbers,
                "target_p95_ms": PAGE_TARGET_P95_MS,
                "within_target": numbers["p95_ms"] is not None and numbers["p95_ms"] < PAGE_TARGET_P95_MS,
                "concurrency": 1,
                "duration_s": options.duration,
                "mentions": mentions,
                "limit": PAGE_LIMIT,
            }

        log(f"page_staff_dashboard_after_rollup_pass: {options.passes} passes, the first GET /staff/ after each")
        latencies, errors = [], 0
        for _ in range(options.passes):
            _job(bench, "pass")
            status, latency_ms, _ = _get(port, "/staff/", headers)
            latencies.append(latency_ms)
            errors += status != 200
        yield {
            "figure": "page_staff_dashboard_after_rollup_pass",
            "path": "/staff/",
            "first_request_ms": [round(ms, 1) for ms in latencies],
            "max_ms": round(max(latencies), 1),
            "target_ms": FIRST_AFTER_PASS_TARGET_MS,
            "within_target": max(latencies) < FIRST_AFTER_PASS_TARGET_MS,
            "requests": len(latencies),
            "errors": errors,
            "mentions": mentions,
            "limit": PAGE_LIMIT,
        }

    export = _job(bench, "export-start", str(options.export_rows))
    path = f"/insights/mentions/export.csv?start={export['start']}"
    with gunicorn(bench.env, EXPORT_WORKER_ARGS) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        worker = _worker_pid(port)
        _get(port, "/staff/", headers)  # the worker's usual memory: Django loaded, a page served
        before_kb = _rss_kb(worker)
        log(f"csv_export_mentions: GET {path} ({export['rows']:,} rows) from worker {worker} ({before_kb // 1024} MB)")
        sampler = _Sampler(worker)
        sampler.start()
        try:
            status, seconds_ms, size = _get(port, path, headers, timeout_s=EXPORT_TIMEOUT_S)
        finally:
            sampler.stop()
        peak_kb = max(sampler.peak_kb, _rss_kb(worker))
        growth_mb = round((peak_kb - before_kb) / 1024, 1)
        yield {
            "figure": "csv_export_mentions",
            "path": path,
            "rows": export["rows"],
            "bytes": size,
            "seconds": round(seconds_ms / 1000, 1),
            "rows_per_s": round(export["rows"] / (seconds_ms / 1000)) if seconds_ms else None,
            "worker_rss_before_mb": round(before_kb / 1024, 1),
            "worker_rss_peak_mb": round(peak_kb / 1024, 1),
            "worker_rss_growth_mb": growth_mb,
            "target_growth_mb": EXPORT_TARGET_GROWTH_MB,
            "within_target": status == 200 and growth_mb < EXPORT_TARGET_GROWTH_MB,
            "errors": int(status != 200),
            "mentions": mentions,
            "limit": EXPORT_LIMIT,
        }


def _get(port: int, path: str, headers: dict, *, timeout_s: float = 30) -> tuple[int, float, int]:
    """One GET on a new connection, read to the end in chunks: (status, milliseconds, bytes)."""
    connection = HTTPConnection(HOST, port, timeout=timeout_s)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return response.status, (time.perf_counter() - started) * 1000, size
    finally:
        connection.close()


# --- The serving process's memory (Linux /proc) ---------------------------------------------------


def _worker_pid(port: int) -> int:
    """The one worker of the gunicorn bound to `port`: the child of the process whose command names it."""
    bind, commands, parents = f"{HOST}:{port}".encode(), {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                commands[int(entry.name)] = (entry / "cmdline").read_bytes()
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    serving = {pid for pid, command in commands.items() if bind in command}  # workers are forks of the master
    children = [pid for pid in serving if parents.get(pid) in serving]
    if len(children) != 1:
        raise BenchError(f"expected one gunicorn worker on port {port}, found {children or 'none'}")
    return children[0]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS for process {pid}")


class _Sampler(threading.Thread):
    """The highest resident memory of a process, sampled every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _rss_kb(self.pid))
            except (OSError, BenchError):
                return
            self._done.wait(0.05)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _job(bench: Bench, name: str, *args: str) -> dict:
    output = bench.run(
        ["-m", "bench.dashboard", name, *args],
        label=f"dashboard {name}",
        timeout_s=EXPORT_TIMEOUT_S,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    return json.loads(output.strip().splitlines()[-1])


# --- Inside Django ---------------------------------------------------------------------------


def _pass() -> dict:
    """A rollup pass that recounts the current hour, as one after new mentions would: a new generation."""
    from django.utils import timezone

    from insights.models import RollupMark
    from insights.services.rollups import rollups_refresh

    RollupMark.objects.create(hour=timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0))
    started = time.perf_counter()
    done = rollups_refresh()
    return {"seconds": round(time.perf_counter() - started, 3), **done}


def _export_start(rows: int) -> dict:
    """The first day (organisation's) from which the newest mentions number about `rows`, and how many."""
    from datetime import datetime, time

    from django.utils import timezone

    from insights.models import Mention

    newest = Mention.objects.order_by("-published_at", "-id").values_list("published_at", flat=True)
    boundary = (
        newest[rows - 1 : rows].first()
        or Mention.objects.order_by("published_at").values_list("published_at", flat=True).first()
    )
    if boundary is None:
        raise SystemExit("no mentions to export")
    day = timezone.localtime(boundary).date()
    start = timezone.make_aware(datetime.combine(day, time()))
    return {"start": day.isoformat(), "rows": Mention.objects.filter(published_at__gte=start).count()}


def main(argv: list[str]) -> int:
    import django

    django.setup()
    name, args = argv[0], argv[1:]
    jobs = {"pass": _pass, "export-start": lambda: _export_start(int(args[0]))}
    print(json.dumps(jobs[name]()), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.exit(main(sys.argv[1:]))
