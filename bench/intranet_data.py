"""Invented intranet data for the benchmarks: posts and ideas by invented Carl's Soda employees.

`intranet_fill(posts=100_000, ideas=10_000)` (inside Django) tops the bench database up to that many
bench posts and ideas and returns what it did; a second call with the same numbers creates nothing.
The suites run it as `python -m bench.intranet_data --posts N --ideas M` (`intranet_data_fill(bench, …)`
from a suite), which prints one JSON object.

Bench rows carry an `external_id` starting with `bench-` (so they are found again, and never mistaken
for imported ones), and are written with bulk_create in batches: 100,000 posts take well under a minute.
Words are drawn from a fixed vocabulary with a Zipf-like skew, so some words are in a third of the posts
and others in a few dozen, like a real feed; every post's words come from a random generator seeded
with its number, so two fills give the same text.
"""

import argparse
import json
import random
import re
import sys
import time
from datetime import timedelta

AUTHORS = 300
BATCH = 5_000
POST_PREFIX = "bench-post-"
IDEA_PREFIX = "bench-idea-"
AUTHOR_EMAIL = "bench.employee{n:03d}@carlssoda.example"
SPAN_DAYS = 730  # posts and ideas spread over the last two years
GROUPS = ("Bench line crew", "Bench flavour lab", "Bench field sales", "Bench canteen club")
IN_A_GROUP = 10  # every tenth post is in one of the groups; the rest are in the company feed
BUSY_POSTS = 2_000  # the newest posts get comments and reactions, like a feed's first pages

FIRST_NAMES = re.findall(
    r"\S+", "Ada Bram Cleo Dario Edda Finn Gala Hugo Iris Joss Kira Lars Mina Nils Olga Pavo Quin Rhea Sten Tova"
)
LAST_NAMES = re.findall(
    r"\S+",
    "Ashdown Brackley Cobbold Dunmore Elswick Farrant Gorring Hawley Ibbotson Jerram Kettley Lumb Moxon Nuttall Oddie "
    "Pickles Quarmby Rudd Sowerby Tattersall",
)

# Common words first: the skew makes the first ones frequent, the last ones rare.
VOCABULARY = re.findall(
    r"\S+",
    """
team today week thanks new launch line plant customer shift bottle can flavour soda fizz cherry lime ginger
lemon orange vanilla cola berry mango peach grape melon citrus cream tonic cooler splash sparkle twist classic
zero sugar recipe tasting batch label pallet truck delivery warehouse canteen office meeting quarter target
sales store shelf display promotion coupon campaign survey feedback safety training onboarding welcome birthday
party lunch coffee bike parking recycling solar energy water filter pump valve conveyor forklift scanner laptop
printer badge holiday rota overtime bonus award volunteer charity run football quiz karaoke picnic garden
kitchen fridge microwave chair desk window heating lights noise break room locker uniform gloves helmet boots
leeds york bristol glasgow cardiff belfast norwich exeter hull derby plymouth dundee inverness swansea
supplier invoice budget forecast audit compliance inspection hygiene allergen nutrition calories caffeine
carbonation syrup concentrate cap seal shrinkwrap carton crate keg fountain dispenser vending machine kiosk
festival sponsorship influencer podcast newsletter intranet wiki handbook policy benefits pension payroll
mentor apprentice graduate intern retirement anniversary milestone record breakdown repair
maintenance upgrade rollout pilot trial prototype sample focus panel blind test ratings reviews complaint
refund recall apology praise shoutout kudos congratulations teamwork patience deadline weekend
""",
)
SENTENCES = (
    "{a} {b} went well at the {place} plant",
    "thanks to the {a} team for the {b} today",
    "who else tried the new {a} {b}",
    "reminder: {a} {b} moves to next week",
    "the {a} {b} in {place} needs a {c}",
    "great {a} from our {b} customers in {place}",
    "can we get more {a} for the {b}",
    "{a} and {b} figures are up this quarter",
)
PLACES = VOCABULARY[VOCABULARY.index("leeds") : VOCABULARY.index("swansea") + 1]
IDEA_STARTS = ("A {a} {b} for {place}", "Better {a} in the {b}", "{a} {b} pilot", "Less {a}, more {b}",
               "Make {a} {b} easier", "A {a} {b} every quarter")  # fmt: skip
WEIGHTS = [1 / (rank + 1) ** 0.9 for rank in range(len(VOCABULARY))]


def _words(rng: random.Random, count: int) -> list[str]:
    return rng.choices(VOCABULARY, weights=WEIGHTS, k=count)


def _sentence(rng: random.Random) -> str:
    a, b, c = _words(rng, 3)
    text = rng.choice(SENTENCES).format(a=a, b=b, c=c, place=rng.choice(PLACES).title())
    return text[0].upper() + text[1:] + "."


def post_text(n: int) -> str:
    """Post number `n`'s text: two to six sentences and a few loose words."""
    rng = random.Random(f"post-{n}")
    sentences = [_sentence(rng) for _ in range(rng.randint(2, 6))]
    return " ".join(sentences) + " " + " ".join(_words(rng, rng.randint(3, 12))).capitalize() + "."


def idea_fields(n: int) -> dict:
    """Idea number `n`'s title (unique: its number ends it) and description."""
    rng = random.Random(f"idea-{n}")
    a, b = _words(rng, 2)
    title = rng.choice(IDEA_STARTS).format(a=a, b=b, place=rng.choice(PLACES).title())
    return {
        "title": f"{title[0].upper()}{title[1:]} (no. {n})",
        "description": " ".join(_sentence(rng) for _ in range(rng.randint(2, 8))),
        "vote_count": min(int(rng.paretovariate(1.2)) - 1, 400),
    }


def _authors() -> list:
    """The bench's invented employees, made once (no usable password: nobody signs in as them)."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    emails = [AUTHOR_EMAIL.format(n=n) for n in range(AUTHORS)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [
        User(
            email=email,
            name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]}",
            password="!bench",  # unusable
        )
        for n, email in enumerate(emails)
        if email not in existing
    ]
    User.objects.bulk_create(missing)
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    group, _ = Group.objects.get_or_create(name=Role.EMPLOYEE)
    group.user_set.add(*users)
    return users


def _groups(authors: list) -> list:
    from django.utils.text import slugify

    from intranet.models import Group, GroupMembership

    groups = [Group.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in GROUPS]
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=group, user=user) for group in groups for user in authors], ignore_conflicts=True
    )
    return groups


def _busy(authors: list) -> None:
    """Comments and reactions on the newest bench posts (once)."""
    from intranet.models import Post, PostComment, PostReaction

    newest = list(
        Post.objects.filter(external_id__startswith=POST_PREFIX)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:BUSY_POSTS]
    )
    if PostComment.objects.filter(post_id__in=newest).exists():
        return
    PostComment.objects.bulk_create(
        [
            PostComment(post_id=pk, author=authors[(k + j) % len(authors)], text="Nice one!", html="<p>Nice one!</p>")
            for k, pk in enumerate(newest)
            for j in range(k % 4)
        ],
        batch_size=BATCH,
    )
    PostReaction.objects.bulk_create(
        [
            PostReaction(post_id=pk, user=authors[(k + j) % len(authors)])
            for k, pk in enumerate(newest)
            for j in range(3)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def intranet_fill(*, posts: int, ideas: int) -> dict:
    """Top the database up to `posts` bench posts and `ideas` bench ideas (never removes any); idempotent.
    Every IN_A_GROUP-th post is in one of the bench groups; the newest BUSY_POSTS have comments and reactions."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.html import escape

    from intranet.models import Idea, Post

    started = time.perf_counter()
    authors = _authors()
    groups = _groups(authors)
    now = timezone.now()
    span = timedelta(days=SPAN_DAYS)

    def when(n: int, total: int):
        # Number 0 is the oldest; the newest is a minute old.
        return now - timedelta(minutes=1) - span * (1 - n / max(total, 1))

    have_posts = Post.objects.filter(external_id__startswith=POST_PREFIX).count()
    have_ideas = Idea.objects.filter(external_id__startswith=IDEA_PREFIX).count()
    for first in range(have_posts, posts, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, posts)):
            text = post_text(n)
            rows.append(
                Post(
                    author=authors[n % len(authors)],
                    group=groups[n // IN_A_GROUP % len(groups)] if n % IN_A_GROUP == 0 else None,
                    text=text,
                    html=f"<p>{escape(text)}</p>",
                    created_at=when(n, posts),
                    external_id=f"{POST_PREFIX}{n}",
                )
            )
        with transaction.atomic():
            Post.objects.bulk_create(rows, batch_size=1_000)
    statuses = [s for s, _ in Idea.Status.choices]
    categories = [c for c, _ in Idea.Category.choices]
    for first in range(have_ideas, ideas, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, ideas)):
            rows.append(
                Idea(
                    author=authors[n % len(authors)],
                    status=statuses[n % 7 % len(statuses)],
                    category=categories[n % len(categories)],
                    created_at=when(n, ideas),
                    external_id=f"{IDEA_PREFIX}{n}",
                    **idea_fields(n),
                )
            )
        with transaction.atomic():
            Idea.objects.bulk_create(rows, batch_size=1_000)
    created = {"posts_created": max(posts - have_posts, 0), "ideas_created": max(ideas - have_ideas, 0)}
    if created["posts_created"]:
        with transaction.atomic():
            _busy(authors)
    if connection.vendor == "postgresql" and any(created.values()):
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give them soon
            for table in ("intranet_post", "intranet_idea", "intranet_postcomment", "intranet_postreaction"):
                cursor.execute(f"ANALYZE {table}")
    return {
        **created,
        "group": groups[0].slug,
        "posts": Post.objects.count(),
        "ideas": Idea.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def intranet_data_fill(bench, *, posts: int, ideas: int, timeout_s: float = 900) -> dict:
    """From a suite: run the fill in a subprocess with the bench environment; return its answer."""
    output = bench.run(
        ["-m", "bench.intranet_data", "--posts", str(posts), "--ideas", str(ideas)],
        label="intranet data fill",
        timeout_s=timeout_s,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.intranet_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=10_000)
    options = parser.parse_args(argv)
    import django

    django.setup()
    print(json.dumps(intranet_fill(posts=options.posts, ideas=options.ideas)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
