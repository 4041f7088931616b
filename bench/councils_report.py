"""The `councils_report` suite: the councils' quarterly reports over 5,000,000 mentions and the intranet data.

Figures:
- `councils_report_first_draft_{brand,customer}`: the first computation of last quarter's draft (every
  section and the conversation gap, through the other apps' selectors and rollups), in a fresh process,
  with no report stored; target under 10 s. Then the same report is published (`councils_report_publish_*`).
- `page_councils_report_published_{brand,customer}`: GET /councils/<council>/reports/<quarter>/ for the
  published report (frozen figures, server-side SVG charts) as the demo executive, one client under
  gunicorn; target p95 under 300 ms.
- `councils_report_pdf_published_brand`: the PDF of the published report, first request (rendered by
  WeasyPrint) then a kept one.

The data: the `rollups` suite's dataset (loaded here when missing, with --dataset-size) and
bench.intranet_data's posts and ideas. The job (`python -m bench.councils_report job QUARTER`) empties the
bench database's reports for that quarter first, so each run measures a first computation.
"""

import json
import sys
import time
from argparse import Namespace
from collections.abc import Iterator
from http.client import HTTPConnection

from bench import log
from bench.intranet_data import intranet_data_fill
from bench.load import HOST, Target, load_measure
from bench.prepare import Bench
from bench.rollups import PAGE_LIMIT, dataset_ensure
from bench.server import gunicorn
from bench.web import check_answers_ok, session_login

POSTS, IDEAS = 100_000, 10_000
DRAFT_TARGET_S = 10
PAGE_TARGET_P95_MS = 300
LOGIN_EMAIL = "erin.exec@carlssoda.example"  # the demo executive: reads both councils' reports
LOGIN_PASSWORD = "carls-soda-demo"
COUNCILS = ("brand", "customer")


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    loaded = dataset_ensure(bench, options.dataset_size)
    if loaded is not None:
        yield loaded
    filled = intranet_data_fill(bench, posts=POSTS, ideas=IDEAS)
    log(f"councils_report: {filled['posts']:,} posts and {filled['ideas']:,} ideas")
    bench.manage("rollup_mentions", timeout_s=1800)  # an incremental pass: the rollups count every mention
    output = bench.run(
        ["-m", "bench.councils_report", "job"],
        label="councils report job",
        timeout_s=900,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    job = json.loads(output.strip().splitlines()[-1])
    quarter = job["quarter"]
    for kind in COUNCILS:
        yield {
            "figure": f"councils_report_first_draft_{kind}",
            "quarter": quarter,
            "seconds": job[kind]["draft_s"],
            "target_s": DRAFT_TARGET_S,
            "mentions": job["mentions"],
            "posts": filled["posts"],
            "ideas": filled["ideas"],
            "limit": "DESIGN.md: reports read rollups, never scan raw mentions; a GROUP BY over 10M rows takes ~4 s",
        }
        yield {
            "figure": f"councils_report_publish_{kind}",
            "quarter": quarter,
            "seconds": job[kind]["publish_s"],
            "limit": "the draft's computation, stored once",
        }

    with gunicorn(bench.env) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        for kind in COUNCILS:
            path = f"/councils/{kind}/reports/{quarter}/"
            target = Target(port=port, path=path, headers=headers)
            check_answers_ok(target)
            log(f"page_councils_report_published_{kind}: GET {path}, {options.warmup} s + {options.duration} s")
            numbers = load_measure(target, concurrency=1, warmup_s=options.warmup, duration_s=options.duration)
            yield {
                "figure": f"page_councils_report_published_{kind}",
                "path": path,
                **numbers,
                "target_p95_ms": PAGE_TARGET_P95_MS,
                "concurrency": 1,
                "duration_s": options.duration,
                "limit": PAGE_LIMIT,
            }
        path = f"/councils/brand/reports/{quarter}/report.pdf"
        first, size = _timed_get(port, path, headers)
        kept, _ = _timed_get(port, path, headers)
        yield {
            "figure": "councils_report_pdf_published_brand",
            "path": path,
            "first_ms": first,
            "kept_ms": kept,
            "bytes": size,
            "limit": "WeasyPrint renders the HTML and inline SVG charts; a published report's PDF is kept",
        }


def _timed_get(port: int, path: str, headers: dict) -> tuple[float, int]:
    connection = HTTPConnection(HOST, port, timeout=120)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = round((time.perf_counter() - started) * 1000, 1)
    finally:
        connection.close()
    if response.status != 200 or not body.startswith(b"%PDF-"):
        raise SystemExit(f"GET {path} answered {response.status}, not a PDF")
    return elapsed, len(body)


# --- Inside Django (the job) ----------------------------------------------------------------------------


def _job() -> dict:
    """Last quarter's reports: emptied, a first draft computed (timed), then published (timed)."""
    from django.contrib.auth import get_user_model

    from councils.models import Council, Report
    from councils.quarters import Quarter
    from councils.selectors.reports import report_compute
    from councils.services.reports import report_publish
    from insights.models import Mention

    quarter = Quarter.current().previous
    publisher = get_user_model().objects.get(email="ada.admin@carlssoda.example")
    Report.objects.filter(quarter=str(quarter)).delete()
    answer = {"quarter": str(quarter), "mentions": Mention.objects.count()}
    for kind in COUNCILS:
        council = Council.objects.get(kind=kind)
        started = time.perf_counter()
        report_compute(council=council, quarter=quarter)
        draft_s = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        report_publish(council=council, quarter=quarter, by=publisher)
        answer[kind] = {"draft_s": draft_s, "publish_s": round(time.perf_counter() - started, 3)}
    return answer


def main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv[:1] != ["job"]:
        raise SystemExit("usage: python -m bench.councils_report job")
    print(json.dumps(_job()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
