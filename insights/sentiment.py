"""Sentiment scoring behind one small interface, so another model can replace VADER.

A scorer takes a batch of texts and returns one `Score` per text. Set
`INSIGHTS_SENTIMENT_SCORER` to the dotted path of another class with the same
shape (`name`, `languages`, `score()`) to plug in another model.
"""

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from insights.models import Sentiment

POSITIVE_AT = 0.05  # VADER's published thresholds on the compound score
NEGATIVE_AT = -0.05


@dataclass(frozen=True)
class Score:
    label: str  # Sentiment.POSITIVE / NEUTRAL / NEGATIVE
    score: float  # -1…1
    confidence: float  # 0…1: how far the score is from the nearest label boundary


class Scorer(Protocol):
    name: str
    languages: frozenset[str]  # primary language subtags the model reads, e.g. {"en"}

    def score(self, texts: list[str]) -> list[Score]: ...


def label_for(compound: float) -> Score:
    """Turn a compound score into a label and a confidence (0 at a boundary, 1 at the far end)."""
    if compound >= POSITIVE_AT:
        return Score(Sentiment.POSITIVE, compound, min(1.0, (compound - POSITIVE_AT) / (1 - POSITIVE_AT)))
    if compound <= NEGATIVE_AT:
        return Score(Sentiment.NEGATIVE, compound, min(1.0, (NEGATIVE_AT - compound) / (1 + NEGATIVE_AT)))
    return Score(Sentiment.NEUTRAL, compound, 1 - abs(compound) / POSITIVE_AT)


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


@cache
def get_scorer() -> Scorer:
    """The configured scorer, built once per process (loading a lexicon takes a while)."""
    return import_string(settings.INSIGHTS_SENTIMENT_SCORER)()


def primary_language(language: str) -> str:
    """'en-US' -> 'en'; blank means the organisation's default language."""
    return (language or settings.INSIGHTS_DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
