"""Learned sentiment: train a version on the team's corrections, keep it only if it beats the active scorer, roll back.

A version is trained on every mention whose label a person set (Mention.sentiment_set_by not null), in a
language the model reads. It is cross-validated on stratified folds; it becomes active only if its held-out
accuracy beats, on the same labels and folds, the scorer that is active now: VADER's accuracy on those
labels, or the active version's recipe fitted on each fold's texts that it had learned (with the labels it
learned them with) and judged on the same held-out texts. Otherwise it is stored inactive with the reason.

Nothing here writes a mention: a model never overwrites a label a person set. When a scorer becomes active (training,
a roll back, VADER again), insights.services.sentiment_rescore re-scores the unlabelled mentions in the background.
Before a version first becomes active, its throughput is measured against VADER's (speed_ratio): bulk ingest uses it
only when it is fast enough (insights.sentiment.ingest_scorer).
"""

import io

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.exceptions import ApplicationError
from insights import learned
from insights.models import Mention, SentimentModel
from insights.selectors.sentiment import (
    sentiment_corrections_since,
    sentiment_labels,
    sentiment_labels_count,
    sentiment_model_latest,
)
from insights.sentiment import LearnedScorer, scorer_forget, scorer_speed_ratio
from insights.services.sentiment_rescore import sentiment_rescore_start

SPEED_SAMPLE = 500  # texts timed with the version and with VADER when it first becomes active
SPEED_FALLBACK_TEXTS = [
    "Carl's Soda raised prices again? Switching to Bubbleton.",
    "Loving the new cherry fizz, best thing in the fridge!",
    "My order arrived two days late and the cans were dented.",
    "Is the zero sugar one available in Canada yet?",
]

TRAINING_LOCK = "insights:sentiment:training"
TRAINING_LOCK_SECONDS = 30 * 60  # longer than any training; a killed worker's lock lapses after it


class TrainingInProgress(ApplicationError):
    status_code = 409
    code = "training_in_progress"


def sentiment_train(*, by=None, max_labels: int | None = None) -> SentimentModel:
    """Train a version on the human labels, cross-validate it, store it, and make it active if it beats the active
    scorer on the same labels. One training at a time (TrainingInProgress otherwise); a ValidationError when
    there are too few labels to learn from."""
    if not cache.add(TRAINING_LOCK, True, TRAINING_LOCK_SECONDS):
        raise TrainingInProgress("A training is already running; try again when it is done.")
    try:
        return _train(by=by, max_labels=max_labels or settings.INSIGHTS_SENTIMENT_MAX_LABELS)
    finally:
        cache.delete(TRAINING_LOCK)


def training_recipe() -> dict:
    """The recipe a new version is trained with: the default one, plus sentence embeddings (insights.embeddings)
    when INSIGHTS_SENTIMENT_EMBEDDINGS is on; on without the optional packages installed, a clear error."""
    recipe = dict(learned.DEFAULT_SETTINGS)
    if settings.INSIGHTS_SENTIMENT_EMBEDDINGS:
        from insights.embeddings import NAME, embeddings_available

        if not embeddings_available():
            raise ValidationError(
                "INSIGHTS_SENTIMENT_EMBEDDINGS is on but its packages are missing: "
                "pip install -r requirements-ml.txt, or switch the setting off."
            )
        recipe |= {"embeddings": NAME, "embedding_weight": 1.0}
    return recipe


def _train(*, by, max_labels: int) -> SentimentModel:
    labels_as_of = timezone.now()
    rows = sentiment_labels(languages=LearnedScorer.languages, limit=max_labels)
    _check_enough(rows)
    ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
    texts = [text for _, text, _ in rows]
    y = np.array([label for _, _, label in rows])
    recipe = training_recipe()
    vader = learned.vader_scores(texts)
    X = learned.features(texts, recipe, vader)
    splits = learned.folds(y)
    evaluation = learned.cross_validate(X, y, recipe, splits)

    active = SentimentModel.objects.filter(is_active=True).first()
    if active is None:
        baseline, baseline_accuracy = "vader", _vader_accuracy(vader, y)
    else:
        baseline, baseline_accuracy = f"v{active.pk}", _version_accuracy(active, ids, texts, y, X, vader, splits)
    beats = evaluation.accuracy > baseline_accuracy
    name = "VADER" if active is None else baseline
    if beats:
        reason = (
            f"Active: cross-validated accuracy {evaluation.accuracy:.3f} beats {name}'s {baseline_accuracy:.3f} "
            f"on the same {len(y):,} labels."
        )
    else:
        reason = (
            f"Not active: cross-validated accuracy {evaluation.accuracy:.3f} does not beat {name}'s "
            f"{baseline_accuracy:.3f} on the same {len(y):,} labels; {name} stays."
        )
    version = SentimentModel(
        trained_at=timezone.now(),
        trained_by=by,
        labels=len(y),
        labels_as_of=labels_as_of,
        cv_accuracy=evaluation.accuracy,
        macro_f1=evaluation.macro_f1,
        baseline=baseline,
        baseline_accuracy=baseline_accuracy,
        metrics=evaluation.metrics,
        recipe=recipe,
        parameters=evaluation.model.to_bytes(),
        training_set=_training_set_bytes(ids, y),
        reason=reason,
    )
    if beats:
        version.speed_ratio = _speed_ratio(version.parameters, recipe)
    return _store(version, activate=beats, compared_with=active.pk if active else None)


def _speed_ratio(parameters: bytes, recipe: dict) -> float:
    """A version's throughput over VADER's on the newest mentions' texts (a few fixed texts when there are none)."""
    texts = list(Mention.objects.order_by("-pk").values_list("text", flat=True)[:SPEED_SAMPLE]) or SPEED_FALLBACK_TEXTS
    texts = (texts * (SPEED_SAMPLE // len(texts) + 1))[:SPEED_SAMPLE]
    return scorer_speed_ratio(LearnedScorer(version=0, parameters=parameters, recipe=recipe), texts)


def _check_enough(rows) -> None:
    minimum = settings.INSIGHTS_SENTIMENT_MIN_LABELS
    if len(rows) < minimum:
        raise ValidationError(
            {"labels": f"Label at least {minimum} mentions to train on (there are {len(rows)} in a language it reads)."}
        )
    counts: dict[str, int] = {}
    for _, _, label in rows:
        counts[label] = counts.get(label, 0) + 1
    if len(counts) < 2:
        raise ValidationError({"labels": "Label mentions of at least two different sentiments to train on."})
    scarce = sorted(label for label, n in counts.items() if n < 2)
    if scarce:
        raise ValidationError(
            {"labels": f"Label at least 2 mentions of each sentiment used (too few: {', '.join(scarce)})."}
        )


def _vader_accuracy(vader: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(learned.vader_labels(vader) == y))


def _training_set_bytes(ids: np.ndarray, y: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, ids=ids, labels=y.astype("U16"))
    return buffer.getvalue()


def _training_set(version: SentimentModel) -> tuple[np.ndarray, np.ndarray]:
    with np.load(io.BytesIO(bytes(version.training_set)), allow_pickle=False) as arrays:
        return arrays["ids"].copy(), arrays["labels"].copy()


def _version_accuracy(active: SentimentModel, ids, texts, y, X, vader, splits) -> float:
    """The active version's accuracy recomputed on today's labels and folds: for each fold, its recipe fitted on
    the fold's training texts that it had learned (with the labels it learned), judged on the held-out texts."""
    known_ids, known_labels = _training_set(active)
    position = {int(pk): i for i, pk in enumerate(known_ids)}
    known = np.array([int(pk) in position for pk in ids])
    labels_then = np.array([known_labels[position[int(pk)]] if int(pk) in position else "" for pk in ids])
    recipe = active.recipe
    X_active = X if recipe == learned.DEFAULT_SETTINGS else learned.features(texts, recipe, vader)
    return learned.cross_validate_fixed(X_active, y, splits, recipe, known, labels_then)


def _store(version: SentimentModel, *, activate: bool, compared_with: int | None) -> SentimentModel:
    """Save the version; make it active only if the scorer it beat is still the active one."""
    with transaction.atomic():
        current = SentimentModel.objects.select_for_update().filter(is_active=True).values_list("pk", flat=True)
        current = current.first()
        if activate and current != compared_with:
            activate = False
            version.reason = (
                "Not active: the active scorer changed while it trained (another version or a roll back); "
                "train again to compare it with the new one."
            )
        if activate:
            try:
                with transaction.atomic():
                    SentimentModel.objects.filter(is_active=True).update(is_active=False)
                    version.is_active, version.activated_at = True, timezone.now()
                    version.full_clean(exclude=["parameters", "training_set"])
                    version.save()
                    sentiment_rescore_start(version=version.pk)
            except IntegrityError:  # another training activated a version at the same moment: the database says no
                version.pk, version.is_active, version.activated_at = None, False, None
                version.reason = "Not active: another version became active at the same moment; train again."
                activate = False
        if not activate:
            version.full_clean(exclude=["parameters", "training_set"])
            version.save()
        transaction.on_commit(scorer_forget)
    return version


def sentiment_train_if_due(*, min_new: int | None = None) -> SentimentModel | None:
    """Train when at least `min_new` (default INSIGHTS_SENTIMENT_RETRAIN_AFTER) labels were set since the newest
    version read its labels, and there are enough to learn from. None when not due, when a training is already
    running, or when the labels cannot train a model (one class only…). Safe to run twice: the second finds the
    lock taken or nothing new."""
    min_new = settings.INSIGHTS_SENTIMENT_RETRAIN_AFTER if min_new is None else min_new
    latest = sentiment_model_latest()
    if sentiment_corrections_since(latest.labels_as_of if latest else None) < max(min_new, 1):
        return None
    if sentiment_labels_count() < settings.INSIGHTS_SENTIMENT_MIN_LABELS:
        return None
    try:
        return sentiment_train()
    except (TrainingInProgress, ValidationError):
        return None


def sentiment_model_activate(*, version: int | None, by) -> SentimentModel | None:
    """Staff roll back (or forward) to any stored version; None goes back to VADER. Returns the active version.
    When the active scorer changes, the unlabelled mentions are re-scored in the background."""
    if version is not None:
        _speed_measure(version)
    with transaction.atomic():
        # Lock the active row and the chosen one, in id order: two roll backs at once wait for each other.
        locked = SentimentModel.objects.select_for_update().filter(Q(is_active=True) | Q(pk=version)).order_by("pk")
        chosen = next((row for row in locked.defer("parameters", "training_set") if row.pk == version), None)
        if version is not None and chosen is None:
            raise ValidationError({"version": f"There is no version {version}."})
        changed = SentimentModel.objects.filter(is_active=True).exclude(pk=version).update(is_active=False)
        if chosen is not None and not chosen.is_active:
            chosen.is_active, chosen.activated_at, chosen.activated_by = True, timezone.now(), by
            chosen.save(update_fields=["is_active", "activated_at", "activated_by"])
            changed = True
        if changed:
            sentiment_rescore_start(version=version)
        transaction.on_commit(scorer_forget)
    return chosen


def _speed_measure(version: int) -> None:
    """Measure a version's speed over VADER once, before it first becomes active (outside any lock: it takes a
    second)."""
    row = SentimentModel.objects.filter(pk=version, speed_ratio__isnull=True).values("parameters", "recipe").first()
    if row is not None:
        ratio = _speed_ratio(bytes(row["parameters"]), row["recipe"])
        SentimentModel.objects.filter(pk=version, speed_ratio__isnull=True).update(speed_ratio=ratio)
