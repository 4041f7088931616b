"""The `triage` suite: the triage inbox's first page, on the bench database (the 5,000,000-mention dataset
when the `rollups` suite or the dataset loader put it there), signed in as the demo analyst.

Figures (one client, as issue 12 asks):
- `page_triage_negative_brand`: the queue filtered on label (negative) and term (the brand); target p95
  under 150 ms;
- `page_triage_queue`: the queue with no filter;
- `page_mentions_negative_brand`: the full mentions list with the same filter (every status).
"""

from argparse import Namespace
from collections.abc import Iterator
from urllib.parse import urlencode

from bench import log
from bench.jobs import job
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.rollups import PAGE_LIMIT
from bench.server import gunicorn
from bench.web import LOGIN_EMAIL, LOGIN_PASSWORD, check_answers_ok, session_login

TARGET_P95_MS = 150
BRAND = "Carl's Soda"  # the demo's brand term

FIGURES = [
    ("page_triage_negative_brand", "/insights/triage/", {"label": "negative", "term": BRAND}, TARGET_P95_MS),
    ("page_triage_queue", "/insights/triage/", {}, None),
    ("page_mentions_negative_brand", "/insights/", {"label": "negative", "term": BRAND}, None),
]


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    mentions = job(bench, "status")["mentions"]
    with gunicorn(bench.env) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        for figure, path, query, target_ms in FIGURES:
            path = f"{path}?{urlencode(query)}" if query else path
            target = Target(port=port, path=path, headers=headers)
            check_answers_ok(target)
            log(f"{figure}: GET {path}, {options.warmup} s warm-up + {options.duration} s, one client")
            numbers = load_measure(target, concurrency=1, warmup_s=options.warmup, duration_s=options.duration)
            yield {
                "figure": figure,
                "path": path,
                **numbers,
                **({"target_p95_ms": target_ms} if target_ms else {}),
                "concurrency": 1,
                "duration_s": options.duration,
                "mentions": mentions,
                "limit": PAGE_LIMIT,
            }
