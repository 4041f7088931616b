"""Insights staff pages about mentions: the inbox, corrections, the review queue, model agreement
and offline mentions. Every view is for insights staff (and admins)."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.csv_safe import csv_stream
from core.redirects import redirect_back
from insights.forms import HUMAN_LABELS, BulkRelabelForm, InboxFilterForm, OfflineMentionForm
from insights.models import Channel, Mention, Sentiment, TrackedTerm
from insights.selectors.mentions import mentions_export_rows, mentions_inbox, model_agreement
from insights.selectors.triage import CappedPaginator
from insights.services.corrections import mention_relabel, mentions_relabel
from insights.services.ingest import offline_mention_log
from insights.views import PAGE_SIZE, staff_only


@staff_only
def inbox(request):
    """Insights staff: every mention, newest first, with filters and one-click corrections."""
    form = InboxFilterForm(request.GET)
    keys = ("term", "channel", "label", "text", "source", "start", "end", "import")
    filters = {key: request.GET.get(key, "").strip() for key in keys}  # kept in the pages' links
    page = CappedPaginator(mentions_inbox(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/inbox.html",
        {
            "page": page,
            "filters": filters,
            "form": form,
            "terms": TrackedTerm.objects.order_by("name").values_list("name", flat=True),
            "channels": Channel.objects.filter(is_active=True).values_list("slug", "name"),
            "labels": Sentiment.choices,
            "human_labels": HUMAN_LABELS,
            "selectable": True,
            "export_query": urlencode({key: value for key, value in filters.items() if value}),
        },
    )


@staff_only
def export(request):
    """Insights staff: the inbox's mentions, with its filters, as a CSV streamed chunk by chunk (any size)."""
    form = InboxFilterForm(request.GET)
    if not form.is_valid():  # the inbox leaves a bad filter out; an export would hold more than was asked
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
        return HttpResponseBadRequest(f"Bad filter: {errors}", content_type="text/plain; charset=utf-8")
    rows = mentions_export_rows(mentions_inbox(**form.filters()))
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentions-{timezone.localdate().isoformat()}.csv"'
    return response


@staff_only
@require_POST
def relabel_many(request):
    """Insights staff: set one label on every mention ticked in the inbox (a plain form; no JavaScript needed)."""
    form = BulkRelabelForm(request.POST)
    if form.is_valid():
        try:
            count = mentions_relabel(
                mention_ids=form.cleaned_data["ids"], label=form.cleaned_data["label"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            label = dict(HUMAN_LABELS)[form.cleaned_data["label"]].lower()
            messages.success(request, f"{count} mention{'s' if count != 1 else ''} labelled {label}.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect_back(request, "insights:inbox")


@staff_only
@require_POST
def relabel(request, pk: int):
    """Insights staff: set a mention's label; htmx swaps the row, a plain form redirects back."""
    mention = get_object_or_404(Mention.objects.select_related("channel"), pk=pk)
    try:
        mention = mention_relabel(mention=mention, label=request.POST.get("label", ""), by=request.user)
    except ValidationError as exc:
        if request.htmx:
            return render(request, "insights/_error.html", {"error": exc.messages[0]}, status=400)
        messages.error(request, exc.messages[0])
    else:
        if request.htmx:
            context = {"mention": mention, "human_labels": HUMAN_LABELS, "selectable": request.POST.get("selectable")}
            return render(request, "insights/_mention_row.html", context)
        messages.success(request, "Label saved.")
    return redirect_back(request, "insights:inbox")


@staff_only
def agreement(request):
    """Insights staff: how often the model agrees with staff, per label and per channel."""
    stats = model_agreement()
    labels = [value for value, _ in HUMAN_LABELS]
    confusion = [
        {"model": model, "cells": [stats["confusion"].get((model, staff), 0) for staff in labels]} for model in labels
    ]
    return render(request, "insights/agreement.html", {"stats": stats, "labels": labels, "confusion": confusion})


@staff_only
@require_http_methods(["GET", "POST"])
def offline(request):
    """Insights staff: log a call-centre note, an event conversation or a store visit."""
    form = OfflineMentionForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = offline_mention_log(
            channel=data["channel"],
            text=data["text"],
            happened_at=data["happened_at"],
            token=data["token"],
            author_name=data["author_name"],
            sentiment_label=data["sentiment"] or None,
            by=request.user,
        )
        if result.rejected:  # the bulk contract's names for the form's fields
            names = {"published_at": "happened_at", "author.name": "author_name"}
            for field, errors in result.errors[0]["errors"].items():
                form.add_error(names.get(field, field) if names.get(field, field) in form.fields else None, errors)
        else:
            messages.success(
                request, "Mention logged." if result.created else "This note was already logged: nothing added twice."
            )
            return redirect("insights:offline")
    return render(request, "insights/offline.html", {"form": form})


urlpatterns = [
    path("", inbox, name="inbox"),
    path("mentions/export.csv", export, name="mentions_export"),
    path("mentions/<int:pk>/label/", relabel, name="relabel"),
    path("mentions/label/", relabel_many, name="relabel_many"),
    path("agreement/", agreement, name="agreement"),
    path("offline/", offline, name="offline"),
]
