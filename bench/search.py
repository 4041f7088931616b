"""The `search` suite: the intranet search page over 100,000 posts and 10,000 ideas, signed in as the demo
employee, one client, under gunicorn on PostgreSQL (issue 13: p95 under 150 ms).

It first tops the bench database up to that many invented posts and ideas (bench.intranet_data; a second
run creates nothing). Each request searches the next query of QUERIES, so the figure covers common and
rare words, two words, a phrase, an exclusion and a person's name, not one query served from warm pages.

Figures:
- `page_search_all`: the first page of results, every kind (counts of each kind, the best three of each);
- `page_search_posts`: posts only, the first page of ten;
- `page_search_most_common_word`: the worst case, the most frequent word of the invented posts (in about
  a third of them): every match counted, the newest RANK_WINDOW ranked.
"""

import functools
from argparse import Namespace
from collections.abc import Iterator
from urllib.parse import urlencode

from bench import log
from bench.intranet_data import VOCABULARY, intranet_data_fill
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.rollups import PAGE_LIMIT
from bench.server import gunicorn
from bench.web import check_answers_ok, session_login

TARGET_P95_MS = 150
POSTS = 100_000
IDEAS = 10_000
LOGIN_EMAIL = "eli.employee@carlssoda.example"  # seed_demo's employee
LOGIN_PASSWORD = "carls-soda-demo"
QUERIES = [
    "lime",
    "ginger fizz",
    '"cherry cola"',
    "leeds -york",
    "recycling solar",
    "karaoke",
    "apprentice mentor",
    "Ashdown",
    "forklift or conveyor",
    "vanilla cream soda",
    "welcome onboarding",
    "allergen inspection",
]

FIGURES = [
    ("page_search_all", {}, QUERIES),
    ("page_search_posts", {"kind": "posts"}, QUERIES),
    ("page_search_most_common_word", {}, [VOCABULARY[0]]),
]


def _request(queries: list[str], extra: dict, headers: dict, client: int, n: int) -> tuple[str, dict]:
    q = queries[(client + n) % len(queries)]
    return f"/intranet/search/?{urlencode({'q': q, **extra})}", headers


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    log(f"search: filling the bench database up to {POSTS:,} posts and {IDEAS:,} ideas")
    filled = intranet_data_fill(bench, posts=POSTS, ideas=IDEAS)
    log(f"search: {filled}")
    with gunicorn(bench.env) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        for figure, extra, queries in FIGURES:
            path, _ = _request(queries, extra, headers, 0, 0)
            check_answers_ok(Target(port=port, path=path, headers=headers))
            target = Target(
                port=port, path=path, headers=headers, vary=functools.partial(_request, queries, extra, headers)
            )
            log(f"{figure}: GET {path} (and {len(queries) - 1} other queries), "
                f"{options.warmup} s warm-up + {options.duration} s, one client")  # fmt: skip
            numbers = load_measure(target, concurrency=1, warmup_s=options.warmup, duration_s=options.duration)
            yield {
                "figure": figure,
                "path": path,
                "queries": len(queries),
                **numbers,
                "target_p95_ms": TARGET_P95_MS,
                "concurrency": 1,
                "duration_s": options.duration,
                "posts": filled["posts"],
                "ideas": filled["ideas"],
                "limit": PAGE_LIMIT,
            }
