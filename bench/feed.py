"""The `feed` suite: the intranet's company feed with 100,000 posts, signed in as the demo employee.

Figures (one client, as issue 13 asks):
- `page_intranet_feed`: the company feed's first page (pinned posts, then the newest); target p95 under 100 ms;
- `page_intranet_feed_deep`: a page 1,000 posts down, through its keyset cursor;
- `page_intranet_group_feed`: a group's feed (a tenth of the posts are in groups);
- `api_posts`: `GET /api/v1/posts`, the first cursor page.

The posts are loaded once by this module's own job (`python -m bench.feed load N`), in bulk, among the demo
employees: a second run finds them and loads only what is missing.
"""

import json
import sys
import time
from argparse import Namespace
from collections.abc import Iterator

from bench import log
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.rollups import PAGE_LIMIT
from bench.server import gunicorn
from bench.web import check_answers_ok, session_login

POSTS = 100_000
TARGET_P95_MS = 100
LOGIN_EMAIL = "eli.employee@carlssoda.example"
LOGIN_PASSWORD = "carls-soda-demo"
DEEP = 1_000  # posts down the feed for the deep page


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    output = bench.run(
        ["-m", "bench.feed", "load", str(POSTS)],
        label="bench feed load",
        timeout_s=900,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    loaded = json.loads(output.strip().splitlines()[-1])
    log(f"feed: {loaded['posts']} posts ({loaded['created']} loaded in {loaded['seconds']} s)")
    figures = [
        ("page_intranet_feed", "/intranet/feed/", TARGET_P95_MS),
        ("page_intranet_feed_deep", f"/intranet/feed/?before={loaded['deep_cursor']}", None),
        ("page_intranet_group_feed", f"/intranet/groups/{loaded['group']}/", None),
        ("api_posts", "/api/v1/posts", None),
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
                "limit": PAGE_LIMIT,
            }


# --- Inside Django (the job) ----------------------------------------------------------------------------


def _load(target: int) -> dict:
    """Bring the posts up to `target`, in bulk: written by the demo employees over the last months, a tenth in
    the demo groups, the newest 2,000 with comments and reactions. Returns counts and the deep page's cursor."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from intranet.models import Group, Post, PostComment, PostReaction
    from intranet.post_selectors import cursor_encode

    started = time.perf_counter()
    have = Post.objects.count()
    people = list(User.objects.filter(groups__name=Role.EMPLOYEE, is_active=True).order_by("pk"))
    groups = list(Group.objects.order_by("pk"))
    if not people or not groups:
        raise SystemExit("the bench database has no demo employees or groups: run seed_demo first")
    missing = max(target - have, 0)
    if missing:
        oldest = Post.objects.order_by("created_at").values_list("created_at", flat=True).first() or timezone.now()
        with transaction.atomic():
            Post.objects.bulk_create(
                [
                    Post(
                        author=people[n % len(people)],
                        group=groups[n % len(groups)] if n % 10 == 0 else None,
                        text=f"Line {n % 7} update: batch {n} of Cherry Fizz is bottled.",
                        html=f"<p>Line {n % 7} update: batch {n} of Cherry Fizz is bottled.</p>\n",
                        created_at=oldest - timedelta(minutes=n + 1),
                    )
                    for n in range(missing)
                ],
                batch_size=5_000,
            )
            newest = list(Post.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[:2_000])
            PostComment.objects.bulk_create(
                [
                    PostComment(post_id=pk, author=people[(k + j) % len(people)], text="Nice!", html="<p>Nice!</p>\n")
                    for k, pk in enumerate(newest)
                    for j in range(3)
                ],
                batch_size=5_000,
            )
            PostReaction.objects.bulk_create(
                [PostReaction(post_id=pk, user=person, kind="like") for pk in newest for person in people[:5]],
                batch_size=5_000,
                ignore_conflicts=True,
            )
        with connection.cursor() as cursor:
            for table in ("intranet_post", "intranet_postcomment", "intranet_postreaction"):
                cursor.execute(f"ANALYZE {table}")
    deep = Post.objects.filter(group=None, pinned_at__isnull=True).order_by("-created_at", "-id")[DEEP : DEEP + 1].get()
    return {
        "posts": Post.objects.count(),
        "created": missing,
        "seconds": round(time.perf_counter() - started, 1),
        "deep_cursor": cursor_encode(deep),
        "group": groups[0].slug,
    }


def main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv[:1] != ["load"]:
        raise SystemExit("usage: python -m bench.feed load POSTS")
    print(json.dumps(_load(int(argv[1]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
