from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import ApiKey
from accounts.roles import Role
from accounts.scopes import SCOPES
from accounts.services import api_key_create, api_key_revoke
from core.forms import form_add_service_errors


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


NEW_KEY_SESSION_KEY = "accounts.new_api_key"


@role_required(Role.INSIGHTS_STAFF)
@require_http_methods(["GET", "POST"])
def api_keys(request):
    """Insights staff and admins: list, create (the key is shown once) and revoke API keys."""
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = None
        if expires_on:
            expires_at = timezone.make_aware(timezone.datetime.combine(expires_on, timezone.datetime.min.time()))
        try:
            api_key, key = api_key_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
                expires_at=expires_at,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            # Post/redirect/get, so a reload creates nothing; the session carries
            # the plain key to the next page view only, which removes it.
            request.session[NEW_KEY_SESSION_KEY] = key
            messages.success(request, f"API key “{api_key.name}” created. Copy it now: it will not be shown again.")
            return redirect("accounts:api_keys")
    new_key = request.session.pop(NEW_KEY_SESSION_KEY, None) if request.method == "GET" else None
    keys = ApiKey.objects.select_related("created_by").order_by("revoked", "-created")
    return render(request, "accounts/api_keys.html", {"form": form, "keys": keys, "new_key": new_key})


@role_required(Role.INSIGHTS_STAFF)
@require_POST
def api_key_revoke_view(request, prefix: str):
    """Insights staff and admins: revoke a key, by its public prefix."""
    api_key = get_object_or_404(ApiKey, prefix=prefix)
    api_key_revoke(api_key=api_key)
    messages.success(request, f"API key “{api_key.name}” ({api_key.prefix}) is revoked.")
    return redirect("accounts:api_keys")
