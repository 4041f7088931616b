import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import ApiKey
from accounts.roles import Role
from accounts.scopes import SCOPES
from accounts.selectors import notifications_of, notifications_unread_count
from accounts.services import (
    ApiKeyCreatedAlready,
    api_key_create,
    api_key_revoke,
    notification_digest_set,
    notifications_mark_read,
)
from core.forms import form_add_service_errors
from core.redirects import redirect_back


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=50, help_text="Who uses the key, e.g. “Social listening export”.")
    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{scope} — {label}") for scope, label in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a key that does not expire.",
    )
    # A new one each time the form is served: the same form sent again (a reload) creates nothing.
    creation_token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creation_token"].initial = secrets.token_urlsafe(24)

    def clean(self):
        data = super().clean()
        if "creation_token" in self.errors:  # a hidden field: say it where the page shows errors
            self.add_error(None, "This form is out of date: reload the page and fill it in again.")
        return data


@never_cache  # the answer to a create carries the new key: no cache may keep it
@role_required(Role.INSIGHTS_STAFF)
@require_http_methods(["GET", "POST"])
def api_keys(request):
    """Insights staff and admins: list, create and revoke API keys.

    A new key is shown once, in the answer to the POST that created it, and stored nowhere: not
    in the session, not in a cookie, not in a cache (the answer is `no-store`). Reloading that
    page sends the form again, and its creation token makes that create nothing.
    """
    form = ApiKeyForm(request.POST or None)
    new_key = new_key_name = None
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = None
        if expires_on:
            expires_at = timezone.make_aware(timezone.datetime.combine(expires_on, timezone.datetime.min.time()))
        try:
            api_key, new_key = api_key_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
                expires_at=expires_at,
                creation_token=form.cleaned_data["creation_token"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApiKeyCreatedAlready as exc:
            form.add_error(None, exc.message)
        else:
            new_key_name = api_key.name
            form = ApiKeyForm()  # a fresh form, with a new creation token
    keys = ApiKey.objects.select_related("created_by").order_by("revoked", "-created")
    return render(
        request,
        "accounts/api_keys.html",
        {"form": form, "keys": keys, "new_key": new_key, "new_key_name": new_key_name},
    )


@role_required(Role.INSIGHTS_STAFF)
@require_POST
def api_key_revoke_view(request, prefix: str):
    """Insights staff and admins: revoke a key, by its public prefix."""
    api_key = get_object_or_404(ApiKey, prefix=prefix)
    api_key_revoke(api_key=api_key)
    messages.success(request, f"API key “{api_key.name}” ({api_key.prefix}) is revoked.")
    return redirect("accounts:api_keys")


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """Any signed-in user: their notifications, newest first; a POST marks one (`id`) or all of them read."""
    if request.method == "POST":
        ids = None
        if request.POST.get("id"):
            try:
                ids = [int(request.POST["id"])]
            except ValueError:
                ids = []
        notifications_mark_read(user=request.user, ids=ids)
        return redirect_back(request, "accounts:notifications")
    page = Paginator(notifications_of(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page, "digest": request.user.notification_digest})


@never_cache
@require_GET
def notifications_badge(request):
    """Any signed-in user: the navigation's "Notifications" link text with the unread count, which htmx asks
    for every NOTIFICATIONS_POLL_SECONDS; a visitor (or an expired session) gets 401 and no badge."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    count = notifications_unread_count(user=request.user)
    return render(request, "accounts/_notifications_badge.html", {"unread_notifications": count})


@login_required
@require_POST
def notifications_digest(request):
    """Any signed-in user: opt in to the daily email digest of unread notifications (`digest` checked), or out."""
    enabled = request.POST.get("digest") == "on"
    notification_digest_set(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, "You will get a daily email of the notifications you have not read.")
    else:
        messages.success(request, "No more daily emails of your notifications.")
    return redirect("accounts:notifications")
