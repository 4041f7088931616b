"""Channels: insights staff list, add and edit where mentions are said, and delete the unused ones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import confirmation
from core.forms import form_add_service_errors
from insights.forms import ChannelForm
from insights.models import Channel, Mention
from insights.services.terms import InUse, channel_delete, channel_save
from insights.views import staff_only


@staff_only
@require_http_methods(["GET", "POST"])
def channels(request, pk: int | None = None):
    """Insights staff: every channel (active or not, with its feeds), and the form to add or edit one."""
    channel = get_object_or_404(Channel, pk=pk) if pk else None
    initial = None
    if channel:
        initial = {
            "name": channel.name,
            "kind": channel.kind,
            "is_active": channel.is_active,
            "response_target_minutes": channel.response_target_minutes,
            "owner": channel.owner_id,
        }
    form = ChannelForm(request.POST or None, initial=initial, editing=channel is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = channel_save(
                channel=channel,
                slug=channel.slug if channel else data["slug"],
                name=data["name"],
                kind=data["kind"],
                is_active=data["is_active"],
                response_target_minutes=data["response_target_minutes"],
                owner=data["owner"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Channel “{saved.name}” saved.")
            return redirect("insights:channels")
    rows = (
        Channel.objects.select_related("owner")
        .annotate(feed_count=Count("feeds"), used=Exists(Mention.objects.filter(channel_id=OuterRef("pk"))))
        .order_by("name")
    )
    return render(request, "insights/channels.html", {"form": form, "channel": channel, "channels": rows})


@staff_only
@require_POST
def channel_delete_view(request, pk: int):
    """Insights staff: delete a channel nothing uses, after confirming; a used one is refused (deactivate it)."""
    channel = get_object_or_404(Channel, pk=pk)
    if ask := confirmation(
        request,
        question=f"Delete the channel “{channel.name}”?",
        consequence="It disappears from every list and form.",
        button="Delete the channel",
        cancel_url=reverse("insights:channels"),
    ):
        return ask
    try:
        channel_delete(channel=channel)
    except InUse as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Channel “{channel.name}” deleted.")
    return redirect("insights:channels")


urlpatterns = [
    path("channels/", channels, name="channels"),
    path("channels/<int:pk>/", channels, name="channel_edit"),
    path("channels/<int:pk>/delete/", channel_delete_view, name="channel_delete"),
]
