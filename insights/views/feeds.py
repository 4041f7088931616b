"""Feeds: insights staff register RSS/Atom feeds, see how each one polls, poll now, pause and resume."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import form_add_service_errors
from insights.forms import FeedForm
from insights.models import Feed
from insights.services.feeds import feed_poll, feed_register, feed_toggle
from insights.views import staff_only


@staff_only
@require_http_methods(["GET", "POST"])
def feeds(request):
    """Insights staff and admins: every feed with its last poll, success and error; register a feed."""
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = feed_register(**form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Feed “{feed.name}” registered. It will be polled within a minute.")
            return redirect("insights:feeds")
    feed_list = Feed.objects.select_related("channel").order_by("name")
    return render(request, "insights/feeds/index.html", {"form": form, "feeds": feed_list})


@staff_only
@require_POST
def feed_poll_view(request, pk: int):
    """Insights staff and admins: poll one feed now, paused or not, and say what came of it."""
    feed = get_object_or_404(Feed, pk=pk)
    outcome = feed_poll(feed_id=feed.pk)
    if outcome["status"] == "ok":
        messages.success(
            request,
            f"“{feed.name}” polled: {outcome['entries']} entries read, {outcome['matched']} matched a tracked term, "
            f"{outcome['created']} new mentions.",
        )
    elif outcome["status"] == "not_modified":
        messages.info(request, f"“{feed.name}” has not changed since the last poll.")
    else:
        messages.error(request, f"“{feed.name}” could not be polled: {outcome.get('error', 'it no longer exists.')}")
    return redirect("insights:feeds")


@staff_only
@require_POST
def feed_toggle_view(request, pk: int):
    """Insights staff and admins: pause a feed (beat stops polling it) or resume it."""
    try:
        feed = feed_toggle(feed_id=pk)
    except Feed.DoesNotExist as exc:
        raise Http404("No such feed.") from exc
    state = "resumed: beat polls it again" if feed.is_active else "paused: beat will not poll it"
    messages.success(request, f"“{feed.name}” {state}.")
    return redirect("insights:feeds")


urlpatterns = [
    path("feeds/", feeds, name="feeds"),
    path("feeds/<int:pk>/poll/", feed_poll_view, name="feed_poll"),
    path("feeds/<int:pk>/toggle/", feed_toggle_view, name="feed_toggle"),
]
