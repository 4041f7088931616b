"""The `sentiment` suite: the learned scorer against VADER on the invented Carl's Soda corpus (issue 15).

Figures (first slice; the review queue and re-scoring come later):
- `sentiment_accuracy_random_<n>`: accuracy on the corpus messages not labelled, after `n` corrections drawn at
  random (0: VADER alone, the floor), the mean of three draws; its `limit` is VADER's accuracy on the same
  messages. The model is fitted exactly as a version is (insights.learned, the default recipe).
- `sentiment_cv_1000`: what the training service would record for 1,000 random labels: cross-validated
  accuracy and macro-F1, and the reliability of its calibrated confidence on held-out folds.
- `sentiment_scoring_rate`: texts per second through the learned scorer on one core, against a raw VADER loop
  (the issue asks bulk ingest to keep ≥ 0.3 of VADER's speed, or fall back to VADER).

Needs no database: `python -m bench.sentiment` prints the same figures without preparing the bench.
"""

import json
import time
from argparse import Namespace
from collections.abc import Iterator

import numpy as np

from bench import log
from bench.sentiment_corpus import sentiment_corpus

BUDGETS = (0, 100, 200, 500, 1000)
DRAWS = 3
CORPUS_SIZE = 12_000


def run(bench=None, options: Namespace | None = None) -> Iterator[dict]:
    from insights import learned

    corpus = sentiment_corpus(CORPUS_SIZE, seed=15)
    texts = [text for text, _ in corpus]
    y = np.array([label for _, label in corpus])
    log(f"sentiment: {len(corpus):,} invented messages; VADER scores and hashed features")
    vader = learned.vader_scores(texts)
    vader_labels = learned.vader_labels(vader)
    recipe = dict(learned.DEFAULT_SETTINGS)
    X = learned.features(texts, recipe, vader)

    for budget in BUDGETS:
        learned_accuracy, vader_accuracy = [], []
        for draw in range(DRAWS):
            order = np.random.default_rng(draw).permutation(len(y))
            train, test = order[:budget], order[budget:]
            vader_accuracy.append(float(np.mean(vader_labels[test] == y[test])))
            if budget:
                model = learned.fit(X[train], y[train], recipe)
                learned_accuracy.append(float(np.mean(model.predict(X[test]) == y[test])))
            else:
                learned_accuracy.append(vader_accuracy[-1])  # no label yet: VADER scores
        yield {
            "figure": f"sentiment_accuracy_random_{budget}",
            "accuracy": round(float(np.mean(learned_accuracy)), 4),
            "draws": [round(a, 4) for a in learned_accuracy],
            "corrections": budget,
            "held_out": len(y) - budget,
            "limit": f"VADER alone on the same messages: {np.mean(vader_accuracy):.4f}",
        }

    order = np.random.default_rng(0).permutation(len(y))[:1000]
    started = time.perf_counter()
    evaluation = learned.cross_validate(X[order], y[order], recipe, learned.folds(y[order]))
    yield {
        "figure": "sentiment_cv_1000",
        "cv_accuracy": round(evaluation.accuracy, 4),
        "macro_f1": round(evaluation.macro_f1, 4),
        "per_class": evaluation.metrics["per_class"],
        "reliability": evaluation.metrics["reliability"],
        "seconds": round(time.perf_counter() - started, 2),
        "limit": f"VADER on the same 1,000 labels: {np.mean(vader_labels[order] == y[order]):.4f}",
    }

    sample = texts[:5000]
    started = time.perf_counter()
    learned.vader_scores(sample)
    vader_rate = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    evaluation.model.probabilities(learned.features(sample, recipe))
    learned_rate = len(sample) / (time.perf_counter() - started)
    yield {
        "figure": "sentiment_scoring_rate",
        "texts_per_second": round(learned_rate),
        "ratio_to_vader": round(learned_rate / vader_rate, 3),
        "limit": f"a raw VADER loop, one core: {vader_rate:,.0f} texts/s (ingest keeps >= 0.3 of it)",
    }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure), flush=True)
