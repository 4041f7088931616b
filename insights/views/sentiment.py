"""The learned sentiment scorer's page: the active scorer, every version with its metrics, train now, roll back."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from insights.forms import HUMAN_LABELS
from insights.selectors.review import sentiment_review_queue
from insights.selectors.sentiment import sentiment_labels_count, sentiment_models, sentiment_rescore_progress
from insights.sentiment import get_scorer
from insights.services.sentiment_models import sentiment_model_activate, sentiment_train
from insights.views import staff_only

REVIEW_PAGE = 50  # a sitting's worth: the queue is ranked afresh after each page of labels
HISTORY = 100  # versions shown: about two per hundred corrections, plus one a night at most


@staff_only
def sentiment_models_page(request):
    """Insights staff: which model scores sentiment, how every version did, and roll back."""
    versions = list(sentiment_models()[:HISTORY])
    active = next((v for v in versions if v.is_active), None) or sentiment_models().filter(is_active=True).first()
    shown = active or (versions[0] if versions else None)
    return render(
        request,
        "insights/sentiment_models.html",
        {
            "versions": versions,
            "active": active,
            "shown": shown,
            "confusion": _confusion_rows(shown),
            "labels": sentiment_labels_count(),
            # The active scorer's re-scoring of the mentions no person labelled (None: VADER's, after a roll back).
            "rescore": sentiment_rescore_progress(active.pk if active else None),
            "min_labels": settings.INSIGHTS_SENTIMENT_MIN_LABELS,
        },
    )


def _confusion_rows(version) -> list[dict]:
    if version is None:
        return []
    confusion = version.metrics.get("confusion", {})
    return [
        {"label": label, "cells": row}
        for label, row in zip(confusion.get("labels", []), confusion.get("matrix", []), strict=False)
    ]


@staff_only
def review(request):
    """Insights staff: the unlabelled mentions whose label would teach the model most, least sure first, to label
    with one click each (insights.selectors.review.sentiment_review_queue; the relabel view saves the label)."""
    queue = sentiment_review_queue(limit=REVIEW_PAGE)
    return render(
        request, "insights/review.html", {"page": queue, "human_labels": HUMAN_LABELS, "scorer": get_scorer().name}
    )


@staff_only
@require_POST
def sentiment_train_now(request):
    """Train a version on the labels now (a few seconds for thousands of labels)."""
    try:
        version = sentiment_train(by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Version {version.pk} trained. {version.reason}")
    return redirect("insights:sentiment_models")


@staff_only
@require_POST
def sentiment_activate(request):
    """Make a version the active scorer, or go back to VADER ("vader")."""
    choice = request.POST.get("version", "")
    if choice != "vader" and not (choice.isascii() and choice.isdigit() and len(choice) < 19):
        messages.error(request, "Choose a version to make active.")
        return redirect("insights:sentiment_models")
    try:
        active = sentiment_model_activate(version=None if choice == "vader" else int(choice), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Version {active.pk} scores sentiment now." if active else "VADER scores now.")
    return redirect("insights:sentiment_models")


urlpatterns = [
    path("sentiment/", sentiment_models_page, name="sentiment_models"),
    path("sentiment/review/", review, name="review"),
    path("sentiment/train/", sentiment_train_now, name="sentiment_train"),
    path("sentiment/activate/", sentiment_activate, name="sentiment_activate"),
]
