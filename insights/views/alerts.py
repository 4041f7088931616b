"""Alerts: insights staff see spikes and surges, acknowledge and close them, and choose which to follow."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from insights.forms import HUMAN_LABELS
from insights.models import Alert, AlertSubscription, TrackedTerm
from insights.services.alerts import AlertClosed, alert_acknowledge, alert_close, alert_subscriptions_set
from insights.views import PAGE_SIZE, staff_only


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
    path("alerts/", alerts, name="alerts"),
    path("alerts/subscriptions/", alert_subscriptions, name="alert_subscriptions"),
    path("alerts/<int:pk>/", alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alert_action, {"action": "acknowledge"}, name="alert_acknowledge"),
    path("alerts/<int:pk>/close/", alert_action, {"action": "close"}, name="alert_close"),
]
