"""Sentiment scoring behind one small interface, so another model can replace VADER.

A scorer takes a batch of texts and returns one `Score` per text. Set
`INSIGHTS_SENTIMENT_SCORER` to the dotted path of another class with the same
shape (`name`, `languages`, `score()`) to plug in another model.

When staff have trained a learned version (insights.learned, insights.services.sentiment_models)
and it is active, `get_scorer()` returns it instead: every process reads the active version's id
at most every INSIGHTS_SENTIMENT_MODEL_CHECK_SECONDS and loads a new one when it changed.
"""

import logging
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from insights.calibration import vader_confidence
from insights.models import Sentiment

logger = logging.getLogger(__name__)

POSITIVE_AT = 0.05  # VADER's published thresholds on the compound score
NEGATIVE_AT = -0.05


@dataclass(frozen=True)
class Score:
    label: str  # Sentiment.POSITIVE / NEUTRAL / NEGATIVE
    score: float  # -1…1
    confidence: float  # 0…1: the probability that `label` is right


class Scorer(Protocol):
    name: str
    languages: frozenset[str]  # primary language subtags the model reads, e.g. {"en"}

    def score(self, texts: list[str]) -> list[Score]: ...


def label_for(compound: float) -> Score:
    """VADER's label for a compound score (its published thresholds), and the probability that it is right.

    The confidence is not the distance to a threshold (which made a text with no sentiment word "1.00 sure"
    of neutral): it is how often VADER's label was right, by label and |compound|, on the invented Carl's Soda
    corpus — the table in insights.calibration (VADER_CONFIDENCE, with the figures it was fitted on):

        negative  0.57 (|compound| < 0.4), 0.74 (< 0.6), 0.87 (< 0.8), 0.95
        positive  0.23 (< 0.2), 0.26 (< 0.4), 0.27 (< 0.6), 0.33 (< 0.8), 0.36  (sarcasm is all positive words)
        neutral   0.37 (no sentiment word says nothing of the sentiment)

    So the review queue, least sure first, offers VADER's neutral and positive labels before its strong negatives.
    """
    if compound >= POSITIVE_AT:
        label = Sentiment.POSITIVE
    elif compound <= NEGATIVE_AT:
        label = Sentiment.NEGATIVE
    else:
        label = Sentiment.NEUTRAL
    return Score(label, compound, vader_confidence(str(label), compound))


class VaderScorer:
    """VADER (vaderSentiment): a lexicon and rules tuned for social media, English only."""

    name = "vader"
    languages = frozenset({"en"})

    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, texts: list[str]) -> list[Score]:
        polarity = self._analyzer.polarity_scores
        return [label_for(polarity(text)["compound"]) for text in texts]


class EmbeddingsMissing(RuntimeError):
    """A version trained with sentence embeddings (insights.embeddings), in a process without their packages."""


class LearnedScorer:
    """A trained version (insights.models.SentimentModel): a linear model over VADER's scores and hashed n-grams.

    `score` is P(positive) − P(negative), so that sums and means of it read like VADER's compound score;
    `confidence` is the calibrated probability of the label it gives (temperature fitted on held-out folds).
    """

    languages = VaderScorer.languages  # VADER's scores are among its features

    def __init__(self, *, version: int, parameters: bytes, recipe: dict, speed_ratio: float | None = None):
        from insights.learned import LinearModel

        if recipe.get("embeddings"):
            from insights.embeddings import embeddings_available

            if not embeddings_available():
                raise EmbeddingsMissing(
                    f"learned v{version} reads sentence embeddings, and this process lacks their packages "
                    "(requirements-ml.txt)"
                )
        self.version = version
        self.speed_ratio = speed_ratio  # its throughput over VADER's, measured when it first became active
        self.name = f"learned v{version}"
        self.model = LinearModel.from_bytes(parameters, recipe)

    def probabilities(self, texts: list[str]):
        """One row of calibrated class probabilities per text, in the order of `self.model.classes`."""
        from insights.learned import features

        return self.model.probabilities(features(texts, self.model.settings))

    def score(self, texts: list[str]) -> list[Score]:
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        column = {label: i for i, label in enumerate(self.model.classes)}

        def p(row, label):
            return float(row[column[label]]) if label in column else 0.0

        scores = []
        for row in probabilities:
            best = int(row.argmax())
            polarity = min(1.0, max(-1.0, p(row, Sentiment.POSITIVE) - p(row, Sentiment.NEGATIVE)))
            scores.append(Score(self.model.classes[best], polarity, min(1.0, max(0.0, float(row[best])))))
        return scores


@cache
def base_scorer() -> Scorer:
    """The configured scorer (VADER by default), built once per process (loading a lexicon takes a while)."""
    return import_string(settings.INSIGHTS_SENTIMENT_SCORER)()


_active_lock = threading.Lock()
_active: dict = {"checked_at": None, "key": None, "scorer": None}


def get_scorer() -> Scorer:
    """The active learned version if there is one, otherwise the configured scorer.

    The active version's id is read at most every INSIGHTS_SENTIMENT_MODEL_CHECK_SECONDS; when it changed
    (another worker's training or a roll back), the new version's weights are loaded from the database."""
    from insights.selectors.sentiment import sentiment_model_active, sentiment_model_parameters

    with _active_lock:
        now = time.time()
        checked_at = _active["checked_at"]
        if checked_at is None or not 0 <= now - checked_at < settings.INSIGHTS_SENTIMENT_MODEL_CHECK_SECONDS:
            active = sentiment_model_active()
            key = (active["pk"], active["trained_at"], active["speed_ratio"]) if active else None
            if key != _active["key"]:
                scorer = None
                if active:
                    parameters, recipe = sentiment_model_parameters(active["pk"])
                    try:
                        scorer = LearnedScorer(
                            version=active["pk"],
                            parameters=parameters,
                            recipe=recipe,
                            speed_ratio=active["speed_ratio"],
                        )
                    except EmbeddingsMissing as exc:  # say so, and score with the configured scorer meanwhile
                        logger.error("%s: scoring with %s instead", exc, base_scorer().name)
                _active.update(key=key, scorer=scorer)
            _active["checked_at"] = now
        return _active["scorer"] or base_scorer()


def scorer_version(scorer: Scorer) -> int | None:
    """The learned version a scorer is (Mention.scored_by_version), or None for the configured scorer."""
    return getattr(scorer, "version", None)


def ingest_scorer() -> Scorer:
    """The scorer bulk ingest uses: the active one when it keeps ingest at INSIGHTS_SENTIMENT_INGEST_MIN_SPEED of a raw
    VADER loop or more (its measured speed_ratio), otherwise the configured scorer; re-scoring then catches up on the
    mentions it scored (insights.services.sentiment_rescore)."""
    scorer = get_scorer()
    ratio = getattr(scorer, "speed_ratio", None)
    if ratio is not None and ratio < settings.INSIGHTS_SENTIMENT_INGEST_MIN_SPEED:
        return base_scorer()
    return scorer


def scorer_speed_ratio(scorer: Scorer, texts: list[str], *, rounds: int = 3) -> float:
    """`scorer`'s throughput over the configured scorer's (VADER) on the same texts: the best of a few rounds each,
    after a warm-up (a first call builds caches)."""

    def best(one: Scorer) -> float:
        one.score(texts[:10])
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            one.score(texts)
            times.append(time.perf_counter() - started)
        return max(min(times), 1e-9)

    return best(base_scorer()) / best(scorer)


def scorer_forget() -> None:
    """This process reads the active version again on the next `get_scorer()` (called when it changes here)."""
    with _active_lock:
        _active.update(checked_at=None, key=None, scorer=None)
