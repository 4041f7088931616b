"""The `sentiment` suite: staff corrections simulated through the API, on a running server (issue 15).

The invented Carl's Soda corpus (bench/sentiment_corpus.py, 12,000 messages, seed 15) is posted as mentions
(POST /api/v1/mentions/bulk, VADER scores them) to gunicorn with a Celery worker, on a database of the suite's own
(`<bench database>_sentiment`: every activation re-scores every mention, so it must not share the other suites'
millions). Then, for each arm, from an empty database:
- `queue`: GET /api/v1/sentiment/review-queue?limit=50, POST /api/v1/mentions/{id}/label with the corpus label of
  each, POST /api/v1/sentiment/train, and, when the new version became active, wait (GET /api/v1/sentiment/models)
  until the worker's re-scoring is done; again until the budget is spent (50 at a time, as
  INSIGHTS_SENTIMENT_RETRAIN_AFTER spaces trainings; the automatic training is switched off so that the bench's
  POST is the only one);
- `random`: the same corrections, drawn at random, trained at each budget; three draws (seeds 0, 1, 2), compared
  by their mean (`--sentiment-draws`; `--sentiment-arms queue` or `random` runs one arm).
After 0, 100, 200, 500 and 1,000 corrections, every mention is read back (GET /api/v1/mentions?source=…) and the
figure is the accuracy of the labels the system shows on the mentions nobody labelled yet, against VADER's labels on
the same mentions (the floor, read at budget 0). Target: queue ≥ VADER + 0.20 at 1,000, queue > random at every
budget. A version that does not beat the active scorer stays inactive, as in production: the figure says which
version scored.
"""

import json
import time
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from bench import BenchError, log
from bench.jobs import job
from bench.prepare import Bench, bench_env, database_create
from bench.server import HOST, gunicorn, process_stop

SOURCE = "bench-sentiment"
CORPUS_SIZE = 12_000
CORPUS_SEED = 15
BUDGETS = (0, 100, 200, 500, 1000)
QUEUE_BATCH = 50
TARGET_OVER_VADER = 0.20
REDIS_URL = "redis://127.0.0.1:6379/14"  # a broker database of the suite's own
RESCORE_WAIT_S = 600
BULK = 2000


class Api:
    """JSON over one HTTP connection to the server, with the suite's API key."""

    def __init__(self, port: int, key: str):
        self.connection = HTTPConnection(HOST, port, timeout=300)
        self.headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
        self.requests = 0

    def call(self, method: str, path: str, body=None, *, ok=(200,)) -> dict:
        payload = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):  # a sync worker closes the connection after each answer: reconnect once
            try:
                self.connection.request(method, path, body=payload, headers=self.headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (ConnectionError, OSError):
                self.connection.close()
                if attempt == 2:
                    raise
        self.requests += 1
        if response.status not in ok:
            raise BenchError(f"{method} {path}: HTTP {response.status}: {data[:300]!r}")
        return json.loads(data) if data else {}


def _own_database(bench: Bench) -> Bench:
    parts = urlsplit(bench.database_url)
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_sentiment"))
    database_create(url)
    own = Bench(database_url=url, env=bench_env(url))
    log(f"sentiment: migrating {parts.path.lstrip('/')}_sentiment")
    own.manage("migrate", "--noinput")
    return own


@contextmanager
def _worker(env: dict[str, str]) -> Iterator[None]:
    import subprocess
    import sys

    from bench.prepare import PROJECT_DIR

    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING"]
    log("sentiment: starting a celery worker")
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr)
    try:
        yield
    finally:
        process_stop(process, "celery worker")


def _load(api: Api, corpus: list[tuple[str, str]]) -> None:
    items = [
        {
            "source": SOURCE,
            "external_id": f"c-{i}",
            "channel": "twitter",
            "text": text,
            "language": "en",
            "published_at": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00",
        }
        for i, (text, _) in enumerate(corpus)
    ]
    for start in range(0, len(items), BULK):
        answer = api.call("POST", "/api/v1/mentions/bulk", items[start : start + BULK])
        if answer.get("rejected"):
            raise BenchError(f"the bulk API refused corpus messages: {answer['errors'][:3]}")


def _read_labels(api: Api) -> dict[int, tuple[str, str]]:
    """{mention id: (external id, the label the system shows)} of every corpus mention, through the API."""
    out, path = {}, f"/api/v1/mentions?source={SOURCE}&page_size=500"
    while path:
        page = api.call("GET", path)
        for mention in page["results"]:
            out[mention["id"]] = (mention["external_id"], mention["sentiment_label"])
        following = page.get("next")
        path = urlsplit(following)._replace(scheme="", netloc="").geturl() if following else None
    return out


def _wait_rescored(api: Api, version: int) -> float:
    """Seconds until the active version's re-scoring (the worker's task) is done, read on GET /sentiment/models."""
    started = time.monotonic()
    while time.monotonic() - started < RESCORE_WAIT_S:
        for row in api.call("GET", "/api/v1/sentiment/models")["results"]:
            if row["version"] == version and row["active"] and (row.get("rescore") or {}).get("done"):
                return time.monotonic() - started
        time.sleep(0.2)
    raise BenchError(f"version {version}'s re-scoring was not done within {RESCORE_WAIT_S} s: is the worker up?")


def _train(api: Api) -> dict:
    answer = api.call("POST", "/api/v1/sentiment/train")
    if answer["active"]:
        answer["rescore_wait_s"] = round(_wait_rescored(api, answer["version"]), 2)
    return answer


def _arm(api: Api, arm: str, truth: dict[str, str], vader: dict[int, str], *, draw: int = 0) -> Iterator[dict]:
    labelled: set[int] = set()
    order = None
    trainings, started = [], time.monotonic()
    for budget in BUDGETS:
        if arm == "queue":
            while len(labelled) < budget:
                limit = min(QUEUE_BATCH, budget - len(labelled))
                page = api.call("GET", f"/api/v1/sentiment/review-queue?limit={limit}")["results"]
                if not page:
                    raise BenchError("the review queue came back empty before the budget was spent")
                for mention in page:
                    label = truth[mention["external_id"]]
                    api.call("POST", f"/api/v1/mentions/{mention['id']}/label", {"label": label})
                    labelled.add(mention["id"])
                trainings.append(_train(api))
        elif budget:
            if order is None:
                order = [int(pk) for pk in np.random.default_rng(draw).permutation(sorted(vader))]
            ids = {pk: external for pk, (external, _) in _read_labels(api).items()}
            for pk in order[len(labelled) : budget]:
                api.call("POST", f"/api/v1/mentions/{pk}/label", {"label": truth[ids[pk]]})
                labelled.add(pk)
            trainings.append(_train(api))
        shown = _read_labels(api)
        rest = [pk for pk in shown if pk not in labelled]
        accuracy = float(np.mean([shown[pk][1] == truth[shown[pk][0]] for pk in rest]))
        floor = float(np.mean([vader[pk] == truth[shown[pk][0]] for pk in rest]))
        last = trainings[-1] if trainings else {}
        active = next((t for t in reversed(trainings) if t["active"]), None)
        yield {
            "figure": f"sentiment_api_{arm}_{budget}",
            "accuracy": round(accuracy, 4),
            "draw": draw if arm == "random" else None,
            "over_vader": round(accuracy - floor, 4),
            "corrections": len(labelled),
            "not_yet_labelled": len(rest),
            "trainings": len(trainings),
            "scored_by": f"learned v{active['version']}" if active else "vader",
            "active_cv_accuracy": active and round(active["cv_accuracy"], 4),
            "last_training": last and {k: last[k] for k in ("version", "labels", "cv_accuracy", "active", "reason")},
            "requests": api.requests,
            "seconds": round(time.monotonic() - started, 1),
            "limit": f"VADER alone on the same {len(rest):,} mentions: {floor:.4f}",
        }


def run(bench: Bench, options: Namespace | None = None) -> Iterator[dict]:
    from bench.sentiment_corpus import sentiment_corpus

    arms = getattr(options, "sentiment_arms", None) or ["queue", "random"]
    draws = getattr(options, "sentiment_draws", None) or [0, 1, 2]
    own = _own_database(bench)
    corpus = sentiment_corpus(CORPUS_SIZE, seed=CORPUS_SEED)
    truth = {f"c-{i}": label for i, (_, label) in enumerate(corpus)}
    key = job(own, "sentiment-api-reset", "--key")["key"]
    env = {**own.env, "INSIGHTS_SENTIMENT_RETRAIN_AFTER": str(10**9)}  # the bench's POST /train is the only one
    env.setdefault("REDIS_URL", REDIS_URL)
    runs = [("queue", 0)] * ("queue" in arms) + [("random", draw) for draw in draws if "random" in arms]
    figures: dict[str, dict[int, list[float]]] = {"queue": {}, "random": {}}
    with gunicorn(env) as port, _worker(env):
        for arm, draw in runs:
            job(own, "sentiment-api-reset")
            api = Api(port, key)
            log(f"sentiment: {arm} arm{f' (draw {draw})' if arm == 'random' else ''}: posting {len(corpus):,} messages")
            _load(api, corpus)
            vader = {pk: label for pk, (_, label) in _read_labels(api).items()}  # VADER's, before any label
            if len(vader) != len(corpus):
                raise BenchError(f"{len(vader):,} corpus mentions readable through the API, not {len(corpus):,}")
            for figure in _arm(api, arm, truth, vader, draw=draw):
                figures[arm].setdefault(figure["corrections"], []).append(figure["accuracy"])
                log(f"sentiment: {figure['figure']}: {figure['accuracy']:.4f} ({figure['limit']})")
                yield figure
        job(own, "sentiment-api-reset")
    queue = {b: float(np.mean(a)) for b, a in figures["queue"].items()}
    random = {b: round(float(np.mean(a)), 4) for b, a in figures["random"].items()}
    if not (queue and random):
        return
    yield {
        "figure": "sentiment_api_summary",
        "queue": queue,
        "random_mean": random,
        "random_draws": len(draws),
        "queue_over_vader_at_1000": round(queue[1000] - queue[0], 4),
        "target_over_vader": TARGET_OVER_VADER,
        "meets_target": queue[1000] - queue[0] >= TARGET_OVER_VADER,
        "queue_above_random_mean_at": [b for b in BUDGETS if b and queue[b] > random[b]],
        "limit": f"VADER alone on all {len(corpus):,} corpus mentions: {queue[0]:.4f}",
    }
