"""The `sentiment_rescore` suite: re-scoring every unlabelled mention after a sentiment version becomes active.

On the rollups suite's dataset (at least 1,000,000 generated mentions, loaded by `generate_mentions` if missing), a
version is trained on 1,000 invented corrections (bench/sentiment_corpus.py) and becomes active; its re-scoring runs
(the real task, in one process), then a roll back to VADER re-scores everything again (the bench database stays
VADER's). Figures:
- `sentiment_rescore_learned`: seconds from the activation to the last batch's commit, mentions re-scored, and per
  1,000,000; its limit is the learned scorer's raw rate on the same texts (scoring alone, no database);
- `sentiment_rescore_vader`: the same for the roll back to VADER, against a raw VADER loop.
"""

from argparse import Namespace
from collections.abc import Iterator

from bench import log
from bench.jobs import job
from bench.prepare import Bench
from bench.rollups import dataset_ensure

DATASET_SIZE = 1_000_000
TIMEOUT_S = 3 * 3600


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    loaded = dataset_ensure(bench, DATASET_SIZE, rebuild=False)
    if loaded is not None:
        yield loaded
    log("sentiment_rescore: training a version on 1,000 corrections, re-scoring with it, then back to VADER")
    done = job(bench, "sentiment-rescore", timeout_s=TIMEOUT_S)
    for name, rate in (("learned", done["learned_scoring_rate"]), ("vader", done["vader_scoring_rate"])):
        clock = done[name]
        yield {
            "figure": f"sentiment_rescore_{name}",
            "mentions": clock["rescored"],
            "seconds": clock["seconds"],
            "mentions_per_s": clock["per_second"],
            "seconds_per_1m": round(clock["seconds"] * 1_000_000 / clock["rescored"], 1) if clock["rescored"] else None,
            "speed_ratio": done["speed_ratio"] if name == "learned" else None,
            "limit": f"the {name} scorer alone, one core, no database: {rate:,} texts/s",
        }
