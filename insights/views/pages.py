"""Insights staff pages: the inbox, corrections, the review queue, model agreement,
offline mentions and tracked terms. Every view is for insights staff (and admins)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from insights import query as term_query
from insights.alerts import AlertClosed, alert_acknowledge, alert_close, alert_subscriptions_set
from insights.models import Alert, AlertSubscription, Channel, Mention, Sentiment, TrackedTerm
from insights.selectors import mentions_inbox, model_agreement, review_queue
from insights.services import mention_relabel, offline_mention_log, term_save

PAGE_SIZE = 50
HUMAN_LABELS = [(Sentiment.POSITIVE, "Positive"), (Sentiment.NEUTRAL, "Neutral"), (Sentiment.NEGATIVE, "Negative")]

staff_only = role_required(Role.INSIGHTS_STAFF)


@staff_only
def inbox(request):
    """Insights staff: every mention, newest first, with filters and one-click corrections."""
    filters = {key: request.GET.get(key, "").strip() for key in ("term", "channel", "label", "text")}
    page = Paginator(mentions_inbox(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/inbox.html",
        {
            "page": page,
            "filters": filters,
            "terms": TrackedTerm.objects.order_by("name").values_list("name", flat=True),
            "channels": Channel.objects.filter(is_active=True).values_list("slug", "name"),
            "labels": Sentiment.choices,
            "human_labels": HUMAN_LABELS,
        },
    )


@staff_only
@require_POST
def relabel(request, pk: int):
    """Insights staff: set a mention's label; htmx swaps the row, a plain form redirects back."""
    mention = get_object_or_404(Mention.objects.select_related("channel"), pk=pk)
    try:
        mention_relabel(mention=mention, label=request.POST.get("label", ""), by=request.user)
    except ValidationError as exc:
        if request.htmx:
            return render(request, "insights/_error.html", {"error": exc.messages[0]}, status=400)
        messages.error(request, exc.messages[0])
    else:
        if request.htmx:
            return render(request, "insights/_mention_row.html", {"mention": mention, "human_labels": HUMAN_LABELS})
        messages.success(request, "Label saved.")
    return redirect(request.POST.get("next") or "insights:inbox")


@staff_only
def review(request):
    """Insights staff: the mentions the model was least sure of, to check one by one."""
    page = Paginator(review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/review.html", {"page": page, "human_labels": HUMAN_LABELS})


@staff_only
def agreement(request):
    """Insights staff: how often the model agrees with staff, per label and per channel."""
    stats = model_agreement()
    labels = [value for value, _ in HUMAN_LABELS]
    confusion = [
        {"model": model, "cells": [stats["confusion"].get((model, staff), 0) for staff in labels]} for model in labels
    ]
    return render(request, "insights/agreement.html", {"stats": stats, "labels": labels, "confusion": confusion})


class OfflineMentionForm(forms.Form):
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.filter(is_active=True, kind=Channel.Kind.OFFLINE), empty_label=None
    )
    happened_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    text = forms.CharField(
        label="What was said", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The customer's words as closely as you can, and the context.",
    )  # fmt: skip
    author_name = forms.CharField(label="Customer name", max_length=255, required=False)
    sentiment = forms.ChoiceField(
        label="Sentiment",
        choices=[("", "Let the model score it"), *HUMAN_LABELS],
        required=False,
        help_text="Set it yourself when you heard the tone; it counts as a staff label.",
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_happened_at(self):
        value = self.cleaned_data["happened_at"]
        if value.tzinfo is None:  # the browser sends local time: the organisation's zone
            value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if value > datetime.now(ZoneInfo(settings.TIME_ZONE)):
            raise ValidationError("Is in the future.")
        return value


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
        if result.rejected:
            for field, errors in result.errors[0]["errors"].items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, "Mention logged." if result.created else "This note was already logged: nothing added twice."
            )
            return redirect("insights:offline")
    return render(request, "insights/offline.html", {"form": form})


class TermForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=TrackedTerm.Kind.choices)
    query = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text='e.g. "carl\'s soda" OR @carlssoda OR #carlssoda -"carl\'s jr"',
    )


@staff_only
@require_http_methods(["GET", "POST"])
def terms(request, pk: int | None = None):
    """Insights staff: tracked terms, and the form to add or edit one (the query is checked)."""
    term = get_object_or_404(TrackedTerm, pk=pk) if pk else None
    initial = {"name": term.name, "kind": term.kind, "query": term.query} if term else None
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = term_save(term=term, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"“{saved.name}” saved. Past mentions are being matched again.")
            return redirect("insights:terms")
    return render(
        request,
        "insights/terms.html",
        {"form": form, "term": term, "terms": TrackedTerm.objects.all(), "help": term_query.__doc__},
    )


@staff_only
def alerts(request):
    """Insights staff: alerts, open ones first."""
    status = request.GET.get("status", "active")
    qs = Alert.objects.select_related("term", "acknowledged_by").annotate(mention_count=Count("mentions"))
    qs = qs.exclude(status=Alert.Status.CLOSED) if status == "active" else qs.filter(status=Alert.Status.CLOSED)
    return render(request, "insights/alerts.html", {"alerts": qs.order_by("-last_seen_at")[:200], "status": status})


@staff_only
def alert_detail(request, pk: int):
    """Insights staff: an alert and the mentions behind it, most reach first."""
    alert = get_object_or_404(Alert.objects.select_related("term", "acknowledged_by", "closed_by"), pk=pk)
    mentions = alert.mentions.select_related("channel", "sentiment_set_by").prefetch_related("terms")
    page = Paginator(mentions.order_by("-author_reach", "-published_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/alert_detail.html", {"alert": alert, "page": page, "human_labels": HUMAN_LABELS})


@staff_only
@require_POST
def alert_action(request, pk: int, action: str):
    """Insights staff: acknowledge or close an alert."""
    alert = get_object_or_404(Alert, pk=pk)
    try:
        (alert_acknowledge if action == "acknowledge" else alert_close)(alert=alert, by=request.user)
    except AlertClosed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Alert {'acknowledged' if action == 'acknowledge' else 'closed'}.")
    return redirect("insights:alert_detail", pk=alert.pk)


@staff_only
@require_http_methods(["GET", "POST"])
def alert_subscriptions(request):
    """Insights staff: which terms' alerts to receive, by email at once or in an hourly digest."""
    terms = list(TrackedTerm.objects.filter(is_active=True))
    if request.method == "POST":
        valid = {"", *AlertSubscription.Delivery.values}
        deliveries = {t.pk: request.POST.get(f"term-{t.pk}", "") for t in terms}
        if any(value not in valid for value in deliveries.values()):
            messages.error(request, "Choose one of the delivery options for each term.")
        else:
            alert_subscriptions_set(user=request.user, deliveries=deliveries)
            messages.success(request, "Alert subscriptions saved.")
            return redirect("insights:alert_subscriptions")
    current = dict(AlertSubscription.objects.filter(user=request.user).values_list("term_id", "delivery"))
    rows = [(term, current.get(term.pk, "")) for term in terms]
    return render(
        request,
        "insights/alert_subscriptions.html",
        {"rows": rows, "choices": [("", "Not following"), *AlertSubscription.Delivery.choices]},
    )


urlpatterns = [
    path("", inbox, name="inbox"),
    path("mentions/<int:pk>/label/", relabel, name="relabel"),
    path("review/", review, name="review"),
    path("agreement/", agreement, name="agreement"),
    path("offline/", offline, name="offline"),
    path("terms/", terms, name="terms"),
    path("terms/<int:pk>/", terms, name="term_edit"),
    path("alerts/", alerts, name="alerts"),
    path("alerts/subscriptions/", alert_subscriptions, name="alert_subscriptions"),
    path("alerts/<int:pk>/", alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alert_action, {"action": "acknowledge"}, name="alert_acknowledge"),
    path("alerts/<int:pk>/close/", alert_action, {"action": "close"}, name="alert_close"),
]
