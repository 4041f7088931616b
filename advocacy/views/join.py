"""The invitation portal, /join/<token>: the program's pitch and terms, and one form to accept or decline.

Visitors accept with a new account (the invited email, already verified); someone who has an
account signs in first and accepts with one click. A bad token gets one friendly page that says
nothing about other invitations, and guessing is rate-limited per client address.
"""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.utils import complete_signup
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from accounts.models import User
from advocacy.forms import JoinForm
from advocacy.models import Invitation, WaitlistEntry
from advocacy.selectors.program import program_get, seats_used, waitlist_entry_of
from advocacy.services.invitations import (
    InvitationError,
    InvitationUnusable,
    invitation_accept,
    invitation_decline,
    invitation_for_token,
)
from core.forms import form_add_service_errors

GUESS_WINDOW_SECONDS = 3600


def _guess_key(request) -> str:
    return f"advocacy:join-guesses:{get_adapter(request).get_client_ip(request)}"


def _too_many_guesses(request) -> bool:
    return (cache.get(_guess_key(request)) or 0) >= settings.ADVOCACY_JOIN_GUESSES_PER_HOUR


def _count_guess(request) -> None:
    key = _guess_key(request)
    if not cache.add(key, 1, GUESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, GUESS_WINDOW_SECONDS)


def _unusable(request, *, status=404):
    return render(request, "advocacy/join/unusable.html", status=status)


@never_cache
def join(request, token):
    """Anyone with the link: the invitation portal."""
    if _too_many_guesses(request):
        return render(request, "advocacy/join/unusable.html", {"throttled": True}, status=429)
    invitation = invitation_for_token(token)
    if invitation is None:
        _count_guess(request)
        return _unusable(request)
    user = request.user if request.user.is_authenticated else None
    signed_in_as_other = user is not None and user.email.lower() != invitation.email.lower()
    has_account = user is None and (
        invitation.kind == Invitation.Kind.WAITLIST_OFFER
        or User.objects.filter(email__iexact=invitation.email).exists()
    )
    form = JoinForm(request.POST or None, needs_account=user is None, initial={"name": invitation.name})
    if request.method == "POST" and not (signed_in_as_other or has_account) and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "decline":
                invitation_decline(token=token, reason=form.cleaned_data["reason"])
                return render(request, "advocacy/join/declined.html", {"program": invitation.program})
            if action == "accept":
                return _accept(request, token, user, form.cleaned_data)
            form.add_error(None, "Choose to accept or to decline.")
        except InvitationUnusable:
            return _unusable(request)
        except InvitationError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form_add_service_errors(form, exc, field_for=lambda name: {"password": "password1"}.get(name, name))
    program = invitation.program
    return render(
        request,
        "advocacy/join/join.html",
        {
            "invitation": invitation,
            "program": program,
            "form": form,
            "signed_in_as_other": signed_in_as_other,
            "has_account": has_account,
            "full": seats_used(program) >= program.seat_limit,
            "login_url": f"{reverse('account_login')}?next={request.path}",
        },
        status=400 if form.errors else 200,
    )


def _accept(request, token, user, data):
    acceptance = invitation_accept(token=token, user=user, name=data.get("name", ""), password=data.get("password1"))
    success_url = reverse("advocacy:waitlist") if acceptance.waitlisted else reverse("advocacy:portal")
    if acceptance.waitlisted:
        messages.info(request, "Every seat is taken right now: you are on the waitlist, and we will email you.")
    else:
        messages.success(request, f"Welcome to the {program_get().name}!")
    if user is not None:
        return redirect(success_url)
    # A new account, made with the invited (so already verified) email: allauth signs it in.
    return complete_signup(request, acceptance.user, allauth_settings.EMAIL_VERIFICATION, success_url)


@login_required
def waitlist(request):
    """Signed-in people on the waitlist: where they stand. Others: 404."""
    entry = waitlist_entry_of(request.user)
    if entry is None:
        raise Http404
    ahead = WaitlistEntry.objects.filter(
        program=entry.program, status=WaitlistEntry.Status.WAITING, joined_at__lt=entry.joined_at
    ).count()
    return render(request, "advocacy/join/waitlist.html", {"entry": entry, "position": ahead + 1})


urlpatterns = [
    path("join/<str:token>", join, name="join"),
    path("join-waitlist/", waitlist, name="waitlist"),
]
