"""The learned sentiment model: features, fitting, cross-validation and serialisation, with no database.

A linear model (logistic regression, one class against the rest, fitted by stochastic gradient descent,
balanced class weights) over VADER's four scores plus
hashed word 1–2-grams and character 3–5-grams. Hashing needs no vocabulary, so a model is its weights
and its hashing settings: stored as numpy arrays in an .npz blob (never a pickle), which any worker can
load whatever code it runs. Probabilities are calibrated by one temperature fitted on held-out folds.

insights.services.sentiment_models stores and activates versions; insights.sentiment serves the
active one behind the Scorer interface.
"""

import io
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

# The recipe. A version stores its own copy, so that changing these defaults never changes how an
# older version reads a text.
DEFAULT_SETTINGS = {
    "recipe": 1,  # bump when the featurisation changes in a way the other keys do not describe
    "word_features": 2**18,
    "word_ngrams": [1, 2],
    "char_features": 2**19,
    "char_ngrams": [3, 5],
    "vader_weight": 1.0,  # VADER's four scores are appended, multiplied by this
    "alpha": 1e-4,  # the L2 penalty of the stochastic gradient descent
    "max_iter": 100,
}
FOLDS = 5
FOLD_SEED = 15  # the same labels give the same folds, so two scorers are compared on the same splits
RELIABILITY_BINS = 10


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_scores(texts: list[str]) -> np.ndarray:
    """VADER's (neg, neu, pos, compound) for each text: one row each."""
    polarity = _vader().polarity_scores
    rows = [polarity(text) for text in texts]
    return np.array([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float64).reshape(-1, 4)


def vader_labels(vader: np.ndarray) -> np.ndarray:
    """VADER's own label for each row of vader_scores(): its published thresholds on the compound score (±0.05),
    as insights.sentiment.label_for, which this module cannot import (it needs no Django)."""
    compound = vader[:, 3]
    return np.where(compound >= 0.05, "positive", np.where(compound <= -0.05, "negative", "neutral"))


@cache
def _vectorizers(word_features: int, word_low: int, word_high: int, char_features: int, char_low: int, char_high: int):
    words = HashingVectorizer(
        n_features=word_features, ngram_range=(word_low, word_high), lowercase=True, alternate_sign=False
    )
    chars = HashingVectorizer(
        n_features=char_features,
        analyzer="char_wb",
        ngram_range=(char_low, char_high),
        lowercase=True,
        alternate_sign=False,
    )
    return words, chars


def features(texts: list[str], settings: dict, vader: np.ndarray | None = None) -> sparse.csr_matrix:
    """One sparse row per text: hashed words, hashed characters, VADER's four scores."""
    words, chars = _vectorizers(
        settings["word_features"],
        *settings["word_ngrams"],
        settings["char_features"],
        *settings["char_ngrams"],
    )
    if vader is None:
        vader = vader_scores(texts)
    blocks = [words.transform(texts), chars.transform(texts), sparse.csr_matrix(vader * settings["vader_weight"])]
    if settings.get("embeddings"):  # optional (insights.embeddings): sentence embeddings, appended dense
        from insights.embeddings import embed

        blocks.append(sparse.csr_matrix(embed(texts) * settings.get("embedding_weight", 1.0)))
    return sparse.hstack(blocks, format="csr")


@dataclass
class LinearModel:
    """Weights of a fitted model: logits = X·coefᵀ + intercept, probabilities = softmax(logits / temperature)."""

    classes: list[str]
    coef: np.ndarray  # (classes, features), float32
    intercept: np.ndarray  # (classes,)
    settings: dict
    temperature: float = 1.0

    def logits(self, X: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.coef.T) + self.intercept

    def probabilities(self, X: sparse.csr_matrix) -> np.ndarray:
        return softmax(self.logits(X) / self.temperature)

    def predict(self, X: sparse.csr_matrix) -> np.ndarray:
        return np.array(self.classes)[self.logits(X).argmax(axis=1)]

    def to_bytes(self) -> bytes:
        """An .npz: the nonzero columns of the weights (most hashed buckets never occur), no pickle."""
        used = np.flatnonzero(np.any(self.coef != 0, axis=0)).astype(np.int64)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            classes=np.array(self.classes, dtype="U16"),
            columns=used,
            weights=self.coef[:, used].astype(np.float32),
            width=np.array([self.coef.shape[1]], dtype=np.int64),
            intercept=self.intercept.astype(np.float64),
            temperature=np.array([self.temperature], dtype=np.float64),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, settings: dict) -> "LinearModel":
        with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as arrays:
            classes = [str(c) for c in arrays["classes"]]
            coef = np.zeros((len(classes), int(arrays["width"][0])), dtype=np.float32)
            coef[:, arrays["columns"]] = arrays["weights"]
            return cls(
                classes=classes,
                coef=coef,
                intercept=arrays["intercept"].copy(),
                settings=dict(settings),
                temperature=float(arrays["temperature"][0]),
            )


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def fit(X: sparse.csr_matrix, y: np.ndarray, settings: dict) -> LinearModel:
    """Logistic regression with balanced class weights, so that a minority class is not drowned.

    Stochastic gradient descent: about 0.2 s for 1,000 labels where lbfgs takes 20 s over these 800,000
    hashed columns, for the same accuracy. Seeded, so the same labels give the same weights."""
    model = SGDClassifier(
        loss="log_loss",
        alpha=settings["alpha"],
        class_weight="balanced",
        max_iter=settings["max_iter"],
        tol=1e-4,
        random_state=0,
    )
    model.fit(X, y)
    classes = [str(c) for c in model.classes_]
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: spell out both, as for three
        coef, intercept = np.vstack([-coef[0] / 2, coef[0] / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return LinearModel(classes=classes, coef=coef.astype(np.float32), intercept=intercept, settings=dict(settings))


def folds(y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds, deterministic for the same labels in the same order."""
    smallest = min(np.unique(y, return_counts=True)[1])
    splitter = StratifiedKFold(n_splits=min(FOLDS, int(smallest)), shuffle=True, random_state=FOLD_SEED)
    return list(splitter.split(np.zeros(len(y)), y))


def fit_temperature(logits: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature that makes softmax(logits / T) best predict the held-out labels (least log loss)."""

    def loss(temperature: float) -> float:
        p = softmax(logits / temperature)[np.arange(len(y_index)), y_index]
        return -np.mean(np.log(np.clip(p, 1e-12, 1)))

    return float(minimize_scalar(loss, bounds=(0.05, 20), method="bounded").x)


@dataclass
class Evaluation:
    """What cross-validation says about a recipe on a set of labels."""

    model: LinearModel  # fitted on every label, with the temperature fitted on the held-out folds
    accuracy: float
    macro_f1: float
    metrics: dict = field(default_factory=dict)


def cross_validate(X: sparse.csr_matrix, y: np.ndarray, settings: dict, splits) -> Evaluation:
    """Held-out predictions on every fold, their metrics, and the model fitted on all labels.

    Each fold's probabilities are calibrated with a temperature fitted on the other folds' held-out
    logits, so the reliability table judges calibration on texts that fitted neither weights nor temperature.
    """
    classes = sorted(set(y.tolist()))
    index = {label: i for i, label in enumerate(classes)}
    y_index = np.array([index[label] for label in y])
    logits = np.zeros((len(y), len(classes)))
    fold_of = np.zeros(len(y), dtype=int)
    for k, (train, test) in enumerate(splits):
        model = fit(X[train], y[train], settings)
        held_out = np.full((len(test), len(classes)), -1e9)  # a class this fold never saw: never predicted
        for j, label in enumerate(model.classes):
            held_out[:, index[label]] = model.logits(X[test])[:, j]
        logits[test] = held_out
        fold_of[test] = k
    probabilities = np.zeros_like(logits)
    for k in range(len(splits)):
        others, mine = fold_of != k, fold_of == k
        probabilities[mine] = softmax(logits[mine] / fit_temperature(logits[others], y_index[others]))
    predicted = np.array(classes)[probabilities.argmax(axis=1)]
    final = fit(X, y, settings)
    final.temperature = fit_temperature(logits, y_index)
    accuracy = float(np.mean(predicted == y))
    return Evaluation(
        model=final,
        accuracy=accuracy,
        macro_f1=float(f1_score(y, predicted, average="macro", labels=classes, zero_division=0)),
        metrics=metrics_of(y, predicted, probabilities.max(axis=1), classes) | {"folds": len(splits)},
    )


def metrics_of(y: np.ndarray, predicted: np.ndarray, confidence: np.ndarray, classes: list[str]) -> dict:
    """Per-class precision and recall, the confusion matrix and the reliability table."""
    precision, recall, f1, support = precision_recall_fscore_support(y, predicted, labels=classes, zero_division=0)
    return {
        "per_class": {
            label: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(classes)
        },
        # rows: the human label; columns: the model's
        "confusion": {"labels": classes, "matrix": confusion_matrix(y, predicted, labels=classes).tolist()},
        "reliability": reliability_table(confidence, predicted == y),
    }


def reliability_table(confidence: np.ndarray, correct: np.ndarray, bins: int = RELIABILITY_BINS) -> list[dict]:
    """Held-out predictions grouped by stated confidence: in a calibrated model, accuracy ≈ mean confidence."""
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence >= low) & ((confidence < high) if high < 1 else (confidence <= high))
        if inside.any():
            rows.append(
                {
                    "from": round(float(low), 2),
                    "to": round(float(high), 2),
                    "count": int(inside.sum()),
                    "confidence": round(float(confidence[inside].mean()), 4),
                    "accuracy": round(float(correct[inside].mean()), 4),
                }
            )
    return rows


def cross_validate_fixed(
    X: sparse.csr_matrix, y: np.ndarray, splits, settings: dict, known: np.ndarray, known_labels: np.ndarray
) -> float:
    """Accuracy, on the same folds, of a recipe that knew only some of the labels (an active version).

    For each fold it is fitted on the fold's training texts that it was trained on (`known`: a mask),
    with the labels it was trained with (`known_labels`), and judged on the fold's held-out texts with
    today's labels. A fold where it knew fewer than two classes predicts its one class (or nothing).
    """
    correct = 0
    for train, test in splits:
        mine = train[known[train]]
        classes = np.unique(known_labels[mine])
        if len(classes) >= 2:
            predicted = fit(X[mine], known_labels[mine], settings).predict(X[test])
        elif len(classes) == 1:
            predicted = np.full(len(test), classes[0])
        else:
            predicted = np.full(len(test), "")
        correct += int(np.sum(predicted == y[test]))
    return correct / len(y)
