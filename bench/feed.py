"""The `feed` suite: the intranet's feeds and idea lists with 100,000 posts and 10,000 ideas, signed in as the
demo employee.

Figures (one client, as issue 13 asks):
- `page_intranet_feed`: the company feed's first page (pinned posts, then the newest); target p95 under 100 ms;
- `page_intranet_feed_deep`: a page 1,000 posts down, through its keyset cursor;
- `page_intranet_group_feed`: a group's feed (a tenth of the posts are in groups);
- `api_posts`: `GET /api/v1/posts`, the first cursor page;
- `page_intranet_ideas_hot`: the ideas list sorted hot (votes with time decay, computed in SQL over every
  idea); target p95 under 100 ms; `page_intranet_ideas_top`: sorted by votes.

The data is bench.intranet_data's (shared with the search suite), topped up by this module's job
(`python -m bench.feed load POSTS IDEAS`): a second run finds it and loads only what is missing.
"""

import json
import sys
from argparse import Namespace
from collections.abc import Iterator

from bench import log
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.rollups import PAGE_LIMIT
from bench.server import gunicorn
from bench.web import check_answers_ok, session_login

POSTS = 100_000
IDEAS = 10_000
TARGET_P95_MS = 100
LOGIN_EMAIL = "eli.employee@carlssoda.example"
LOGIN_PASSWORD = "carls-soda-demo"
DEEP = 1_000  # posts down the feed for the deep page


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    output = bench.run(
        ["-m", "bench.feed", "load", str(POSTS), str(IDEAS)],
        label="bench feed load",
        timeout_s=900,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    loaded = json.loads(output.strip().splitlines()[-1])
    log(f"feed: {loaded['posts']} posts and {loaded['ideas']} ideas (topped up in {loaded['seconds']} s)")
    figures = [
        ("page_intranet_feed", "/intranet/feed/", TARGET_P95_MS),
        ("page_intranet_feed_deep", f"/intranet/feed/?before={loaded['deep_cursor']}", None),
        ("page_intranet_group_feed", f"/intranet/groups/{loaded['group']}/", None),
        ("api_posts", "/api/v1/posts", None),
        ("page_intranet_ideas_hot", "/intranet/ideas/?sort=hot", TARGET_P95_MS),
        ("page_intranet_ideas_top", "/intranet/ideas/?sort=top", None),
    ]
    with gunicorn(bench.env) as port:
        headers = {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"}
        for figure, path, target_ms in figures:
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
                "posts": loaded["posts"],
                "ideas": loaded["ideas"],
                "limit": PAGE_LIMIT,
            }


# --- Inside Django (the job) ----------------------------------------------------------------------------


def _load(posts: int, ideas: int) -> dict:
    """The bench's intranet data topped up (bench.intranet_data, shared with the search suite), and where the
    deep page starts."""
    from bench.intranet_data import intranet_fill
    from intranet.models import Post
    from intranet.post_selectors import cursor_encode

    loaded = intranet_fill(posts=posts, ideas=ideas)
    deep = Post.objects.filter(group=None, pinned_at__isnull=True).order_by("-created_at", "-id")[DEEP : DEEP + 1].get()
    return {**loaded, "deep_cursor": cursor_encode(deep)}


def main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv[:1] != ["load"]:
        raise SystemExit("usage: python -m bench.feed load POSTS IDEAS")
    print(json.dumps(_load(int(argv[1]), int(argv[2]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
