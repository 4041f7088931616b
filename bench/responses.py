"""The `response_times` suite: GET /api/v1/response-times for a year by week, on the bench database.

It measures whatever mentions the database holds (the 5,000,000-mention dataset when the `rollups`
suite or the dataset loader put it there). When no mention has a response yet, it first answers about
40 % of those of the last 400 days with one SQL UPDATE (response times of 1 minute to 2 days, skewed
short) so that the histogram behind the percentiles is as full as a real one; then it runs one rollup
pass, which fills the response-time rollups (the first pass after migration 0011 recounts every day).

Figures:
- `response_rollup_pass`: that pass, against one plain GROUP BY of every mention;
- `api_response_times_year_by_week`: one client, target p95 under 200 ms (issue 12). Nothing is
  cached: every request sums a year of day rows and counts, live, what fell due since the pass;
- `api_response_times_year_by_channel`: the same by channel (about 365 × channels day rows).
"""

import time
from argparse import Namespace
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench import log
from bench.jobs import job
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.rollups import GROUP_BY_LIMIT, ORG_TIME_ZONE, PAGE_LIMIT, REBUILD_TIMEOUT_S
from bench.server import gunicorn
from bench.web import check_answers_ok

API_TARGET_P95_MS = 200


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    filled = job(bench, "responses-fill", timeout_s=REBUILD_TIMEOUT_S)
    if filled["answered"]:
        log(f"response_times: no mention had a response; answered {filled['answered']:,} of them")
        job(bench, "vacuum", timeout_s=REBUILD_TIMEOUT_S)
    status = job(bench, "status")
    log("response_rollup_pass: one rollup pass (the first one fills every day's response-time rows)")
    raw = job(bench, "raw-group-by", timeout_s=REBUILD_TIMEOUT_S)
    refreshed = job(bench, "rollup-refresh", timeout_s=REBUILD_TIMEOUT_S)
    yield {
        "figure": "response_rollup_pass",
        "seconds": refreshed["seconds"],
        "rows": refreshed["rows"],
        "mentions": status["mentions"],
        "responded": filled["responded"] + filled["answered"],
        "limit": f"one plain GROUP BY of every mention, this run: {raw['seconds']} s; " + GROUP_BY_LIMIT,
    }

    today = datetime.now(ZoneInfo(ORG_TIME_ZONE)).date()
    start = today - timedelta(days=365)
    api_key = bench.manage("create_api_key", "--name", f"bench responses {time.strftime('%Y-%m-%d %H:%M:%S')}",
                           "--scopes", "mentions:read").strip()  # fmt: skip
    with gunicorn(bench.env) as port:
        for group_by in ("week", "channel"):
            path = f"/api/v1/response-times?start={start}&end={today}&group_by={group_by}"
            target = Target(port=port, path=path, headers={"Authorization": f"Api-Key {api_key}"})
            check_answers_ok(target)
            figure = f"api_response_times_year_by_{group_by}"
            log(f"{figure}: GET {path}, {options.warmup} s warm-up + {options.duration} s, one client")
            numbers = load_measure(target, concurrency=1, warmup_s=options.warmup, duration_s=options.duration)
            yield {
                "figure": figure,
                "path": path,
                **numbers,
                **({"target_p95_ms": API_TARGET_P95_MS} if group_by == "week" else {}),
                "concurrency": 1,
                "duration_s": options.duration,
                "mentions": status["mentions"],
                "limit": PAGE_LIMIT,
            }
