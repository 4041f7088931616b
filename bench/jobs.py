"""Database jobs the suites run inside Rapport (Django set up), each in a subprocess of its own.

`python -m bench.jobs JOB [ARGS]` prints one JSON object on stdout. The suites call `job()`,
which runs it with the bench environment and a time limit. Timing inside the job leaves the
subprocess's start-up (Django, imports) out of the figures.
"""

import json
import sys
import time

from bench.prepare import Bench


def job(bench: Bench, name: str, *args: str, timeout_s: float = 600) -> dict:
    """Run a job with the bench environment; return its JSON answer."""
    output = bench.run(
        ["-m", "bench.jobs", name, *args],
        label=f"bench job {name}",
        timeout_s=timeout_s,
        env={"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    return json.loads(output.strip().splitlines()[-1])


# --- Inside Django -------------------------------------------------------------


def _status(sources: list[str]) -> dict:
    """How many mentions there are (all, and of each of `sources`), and which demo terms are active."""
    from django.db.models import Count

    from insights.demo import TERMS
    from insights.models import Mention, TrackedTerm

    names = {name for name, _, _ in TERMS}
    by_source = Mention.objects.filter(source__in=sources).values("source").annotate(n=Count("pk"))
    return {
        "mentions": Mention.objects.count(),
        "by_source": {row["source"]: row["n"] for row in by_source},
        "demo_terms": TrackedTerm.objects.filter(name__in=names, is_active=True).count(),
    }


def _rollup_refresh(rebuild: bool) -> dict:
    from insights.services.rollups import rollups_refresh

    started = time.perf_counter()
    done = rollups_refresh(rebuild=rebuild)
    return {"seconds": round(time.perf_counter() - started, 3), **done}


def _raw_group_by() -> dict:
    """The raw limit of a rollup pass: one plain GROUP BY of every mention by hour, channel and label."""
    from django.db import connection

    sql = (
        "SELECT count(*) FROM (SELECT date_trunc('hour', published_at AT TIME ZONE 'UTC'), channel_id, "
        "sentiment_label, count(*), sum(sentiment_score), sum(author_reach), sum(likes + shares + comments) "
        "FROM insights_mention GROUP BY 1, 2, 3) g"
    )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql)
        groups = cursor.fetchone()[0]
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM insights_mention")
        rows = cursor.fetchone()[0]
    return {"seconds": round(seconds, 3), "rows": rows, "groups": groups}


def _delete_source(source: str) -> dict:
    """Delete a source's mentions (and what points at them), marking their hours, in one transaction.

    Raw SQL rather than `mentions_delete`: the ORM's cascade would load 100,000 objects.
    """
    from django.db import connection, transaction

    from insights.models import Alert, Mention, MentionTerm, RollupMark

    q = connection.ops.quote_name
    mentions = q(Mention._meta.db_table)
    chosen = f"SELECT id FROM {mentions} WHERE source = %s"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (MentionTerm._meta.db_table, Alert.mentions.through._meta.db_table):
            cursor.execute(f"DELETE FROM {q(table)} WHERE mention_id IN ({chosen})", [source])
        cursor.execute(
            f"WITH gone AS (DELETE FROM {mentions} WHERE source = %s RETURNING published_at) "
            f"INSERT INTO {q(RollupMark._meta.db_table)} (hour, created_at) "
            "SELECT DISTINCT date_trunc('hour', published_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', now() FROM gone",
            [source],
        )
        marks = cursor.rowcount
    return {"seconds": round(time.perf_counter() - started, 3), "hours_marked": marks}


def _alert_term(name: str, query: str, email: str) -> dict:
    """A tracked term of its own for the alerts suite (no history, so no baseline), followed at once by `email`."""
    from accounts.models import User
    from insights.models import AlertSubscription, TrackedTerm

    term, _ = TrackedTerm.objects.update_or_create(name=name, defaults={"kind": "product", "query": query})
    AlertSubscription.objects.update_or_create(
        user=User.objects.get(email=email), term=term, defaults={"delivery": AlertSubscription.Delivery.IMMEDIATE}
    )
    return {"term_id": term.pk}


def _alert_term_delete(name: str) -> dict:
    """Delete the suite's term: its links, alerts and subscriptions go with it."""
    from insights.models import TrackedTerm

    deleted, _ = TrackedTerm.objects.filter(name=name).delete()
    return {"deleted": deleted}


BENCH_TERM_PREFIX = "bench-term-"
FLAVOURS = ["cherry", "lime", "ginger", "vanilla", "cola", "orange", "grape", "lemon", "mango", "peach", "berry",
            "apple", "melon", "coconut", "cream", "citrus"]  # fmt: skip
THINGS = ["fizz", "soda", "pop", "float", "kick", "zero", "classic", "splash", "twist", "sparkle", "cooler", "tonic"]


def _realistic_queries(count: int) -> list[str]:
    """Queries like a listening team's: product phrases, hashtags, handles, an exclusion."""
    queries = []
    for n in range(count):
        flavour, thing = FLAVOURS[n % len(FLAVOURS)], THINGS[(n // len(FLAVOURS)) % len(THINGS)]
        queries.append(
            f'"{flavour} {thing}" OR #{flavour}{thing} OR @{flavour}{thing}{n} OR ({flavour} NEAR/3 {thing}) -recall'
        )
    return queries


def _longest_query() -> str:
    """A query at both limits: 50 terms, within 1,000 characters."""
    from insights.query import MAX_QUERY_CHARACTERS, MAX_QUERY_TERMS, parse_bounded, term_count

    atoms = [f'"{flavour} {thing}"' for thing in THINGS for flavour in FLAVOURS]
    query = " OR ".join(atoms[:MAX_QUERY_TERMS])
    while len(query) > MAX_QUERY_CHARACTERS:
        atoms = [atom.split()[0] + '"' if " " in atom else atom for atom in atoms]  # shorten phrases to words
        query = " OR ".join(atoms[:MAX_QUERY_TERMS])
    assert term_count(parse_bounded(query)) == MAX_QUERY_TERMS
    return query


def _bench_terms(kind: str) -> dict:
    """Add the ingest suite's extra tracked terms: 192 realistic ones, or one at the query limits."""
    from insights.models import TrackedTerm
    from insights.query import parse_bounded

    queries = _realistic_queries(192) if kind == "realistic" else [_longest_query()]
    for query in queries:
        parse_bounded(query)  # every one within the limits a person could save
    TrackedTerm.objects.bulk_create(
        [TrackedTerm(name=f"{BENCH_TERM_PREFIX}{n:03d}", kind="product", query=q) for n, q in enumerate(queries)]
    )
    return {"terms": TrackedTerm.objects.filter(is_active=True).count(), "longest": max(len(q) for q in queries)}


def _bench_terms_delete() -> dict:
    from insights.models import TrackedTerm

    deleted, _ = TrackedTerm.objects.filter(name__startswith=BENCH_TERM_PREFIX).delete()
    return {"deleted": deleted}


def _truncate() -> dict:
    """Empty every mention, link and rollup (the dataset is rebuilt from nothing)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE insights_mention, insights_mentionterm, insights_hourlyrollup, insights_dailyrollup, "
            "insights_dailytermrollup, insights_rollupmark, insights_responsedailyrollup, "
            "insights_responserollupclock CASCADE"
        )
    return {"truncated": True}


TABLES = (
    "insights_mention",
    "insights_mentionterm",
    "insights_hourlyrollup",
    "insights_dailyrollup",
    "insights_dailytermrollup",
    "insights_rollupmark",
    "insights_responsedailyrollup",
)


def _vacuum() -> dict:
    """VACUUM ANALYZE the tables the suites change, as autovacuum would in production.

    The suites call it after each bulk change (load, rebuild, deleting their mentions), so that no
    figure reads tables full of dead rows or without statistics, even where autovacuum is off.
    """
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return {"seconds": round(time.perf_counter() - started, 3)}


def _daily_rows(start: str, end: str) -> dict:
    """How many day-rollup rows by term the year's series reads."""
    from insights.models import DailyRollup

    rows = DailyRollup.objects.filter(bucket__gte=start, bucket__lte=end, term__isnull=False).count()
    return {"rows": rows}


def _responses_fill() -> dict:
    """When no mention has a response: give the mentions of channels with a target their due time where they
    have none (a COPY load may leave it out), then answer about 40 % of the last 400 days' mentions that need a
    response, 1 minute to 2 days after publication (most within hours), two UPDATEs; and drop the response
    rollups' clock, so that the next rollup pass recounts every day."""
    from django.db import connection

    from insights.models import Mention, ResponseRollupClock

    responded = Mention.objects.filter(first_response_at__isnull=False).count()
    if responded:
        return {"responded": responded, "answered": 0}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE insights_mention m SET response_due_at = m.published_at "
            "+ make_interval(mins => c.response_target_minutes) FROM insights_channel c "
            "WHERE c.id = m.channel_id AND c.response_target_minutes IS NOT NULL AND m.response_due_at IS NULL"
        )
        cursor.execute(
            "UPDATE insights_mention SET status = 'responded', first_response_kind = 'reply', "
            "first_response_at = published_at + make_interval(mins => 1 + floor(power(random(), 3) * 2880)::int) "
            "WHERE id % 5 < 2 AND status <> 'no_action' AND published_at > now() - interval '400 days' "
            "AND published_at < now() - interval '2 days'"
        )
        answered = cursor.rowcount
    ResponseRollupClock.objects.all().delete()
    return {"responded": 0, "answered": answered}


RESCORE_SOURCE = "bench-rescore-labels"
RESCORE_LABELS = 1000


def _sentiment_rescore() -> dict:
    """Train a version on 1,000 invented corrections, which makes it active, and re-score every unlabelled mention
    with it, as a worker does after an activation (here in this process: Celery eager); then roll back to VADER,
    re-scored again, so that the bench database stays VADER's. Each figure is the progress row's own clock (from the
    activation to the last batch's commit), beside the scorers' raw rates on the same texts."""
    from celery import current_app
    from django.conf import settings

    from accounts.models import User
    from bench.sentiment_corpus import sentiment_corpus
    from insights.models import Mention, SentimentRescore
    from insights.sentiment import base_scorer
    from insights.services.corrections import mentions_relabel
    from insights.services.ingest import mentions_ingest
    from insights.services.sentiment_models import sentiment_model_activate, sentiment_train

    current_app.conf.task_always_eager = True
    settings.INSIGHTS_SENTIMENT_RETRAIN_AFTER = 10**9  # the corrections below train no version of their own
    corpus = sentiment_corpus(RESCORE_LABELS, seed=15)
    mentions_ingest(
        [
            {
                "source": RESCORE_SOURCE,
                "external_id": str(n),
                "channel": "twitter",
                "text": text,
                "published_at": "2026-01-15T12:00:00+00:00",
            }
            for n, (text, _) in enumerate(corpus)
        ]  # fmt: skip
    )
    ids = dict(Mention.objects.filter(source=RESCORE_SOURCE).values_list("external_id", "pk"))
    staff = User.objects.filter(is_active=True).order_by("pk").first()
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[str(n)] for n, (_, label) in enumerate(corpus) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=staff)

    def clock(key: str) -> dict:
        row = SentimentRescore.objects.get(scorer=key)
        seconds = (row.updated_at - row.started_at).total_seconds()
        return {"seconds": round(seconds, 1), "rescored": row.rescored, "done": row.done,
                "per_second": round(row.rescored / seconds) if seconds else None}  # fmt: skip

    sample = list(Mention.objects.order_by("-pk").values_list("text", flat=True)[:5000])
    version = sentiment_train(by=staff)  # active if it beats VADER (it does, by far): its re-scoring runs here
    if not version.is_active:  # a version left active by an earlier run scores as well: roll forward to this one
        version = sentiment_model_activate(version=version.pk, by=staff)
    from insights.sentiment import get_scorer

    learned_rate = _rate(get_scorer(), sample)
    learned = clock(f"v{version.pk}")
    sentiment_model_activate(version=None, by=staff)
    vader = clock("vader")
    return {
        "version": version.pk,
        "speed_ratio": version.speed_ratio,
        "learned": learned,
        "vader": vader,
        "learned_scoring_rate": round(learned_rate),
        "vader_scoring_rate": round(_rate(base_scorer(), sample)),
        "mentions": Mention.objects.count(),
    }


SENTIMENT_API_USER = "bench.sentiment@rapport.example"


def _sentiment_api_reset(with_key: bool) -> dict:
    """The `sentiment` suite's own database, emptied for one arm: no mention, no version, no re-scoring (VADER scores);
    the demo's channels; with `with_key`, an insights analyst (invented) and an API key of hers, whose corrections
    are hers (POST /api/v1/mentions/{id}/label needs a person behind the key)."""
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import api_key_create, user_create, user_grant_roles
    from insights.demo import CHANNELS
    from insights.models import Channel, Mention, SentimentModel, SentimentRescore

    Mention.objects.all().delete()
    SentimentRescore.objects.all().delete()
    SentimentModel.objects.all().delete()
    for slug, name, kind in CHANNELS:
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    if not with_key:
        return {"key": None}
    user = User.objects.filter(email=SENTIMENT_API_USER).first()
    if user is None:
        user = user_create(email=SENTIMENT_API_USER, password=None, name="Noor Bench")
    user_grant_roles(user=user, roles=[Role.INSIGHTS_STAFF])
    _, key = api_key_create(
        name=f"bench sentiment {time.strftime('%Y-%m-%d %H:%M:%S')}",
        scopes=["mentions:read", "mentions:write", "insights:admin"],
        created_by=user,
    )
    return {"key": key}


def _rate(scorer, texts: list[str]) -> float:
    scorer.score(texts[:10])
    started = time.perf_counter()
    scorer.score(texts)
    return len(texts) / (time.perf_counter() - started)


def main(argv: list[str]) -> int:
    import django

    django.setup()
    name, args = argv[0], argv[1:]
    jobs = {
        "status": lambda: _status(args),
        "rollup-refresh": lambda: _rollup_refresh(rebuild="--rebuild" in args),
        "raw-group-by": lambda: _raw_group_by(),
        "delete-source": lambda: _delete_source(args[0]),
        "truncate": lambda: _truncate(),
        "responses-fill": lambda: _responses_fill(),
        "vacuum": lambda: _vacuum(),
        "daily-rows": lambda: _daily_rows(args[0], args[1]),
        "alert-term": lambda: _alert_term(args[0], args[1], args[2]),
        "bench-terms": lambda: _bench_terms(args[0]),
        "bench-terms-delete": lambda: _bench_terms_delete(),
        "alert-term-delete": lambda: _alert_term_delete(args[0]),
        "sentiment-rescore": lambda: _sentiment_rescore(),
        "sentiment-api-reset": lambda: _sentiment_api_reset(with_key="--key" in args),
    }
    print(json.dumps(jobs[name]()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
