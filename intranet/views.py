from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.roles import Role, has_role
from core.forms import form_add_service_errors
from intranet.forms import VISIBILITY, InviteForm, ProfileForm
from intranet.idea_selectors import ideas_list
from intranet.post_selectors import posts_latest
from intranet.selectors import (
    people_filter_choices,
    people_new_joiners,
    people_search,
    person_card,
    person_get,
    profile_of,
)
from intranet.services import employee_invite, profile_update

PEOPLE_PAGE_SIZE = 24

HOME_TOP_IDEAS = 3
HOME_LATEST_POSTS = 3


@role_required(Role.EMPLOYEE)
def home(request):
    """Employees: the intranet home."""
    return render(
        request,
        "intranet/home.html",
        {"top_ideas": ideas_list(sort="top")[:HOME_TOP_IDEAS], "latest_posts": posts_latest(limit=HOME_LATEST_POSTS)},
    )


@role_required(Role.EMPLOYEE)
@require_GET
def people(request):
    """Employees: the directory, searched and filtered on what each person shows."""
    filters = {name: request.GET.get(name, "").strip()[:100] for name in ("q", "department", "skill", "location")}
    page = Paginator(people_search(**filters), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [person_card(user) for user in page.object_list]
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "intranet/people.html",
        {
            "page": page,
            "cards": cards,
            "filters": filters,
            "choices": people_filter_choices(),
            "query": f"{query}&" if query else "",
            "may_invite": has_role(request.user, Role.ADMIN),
        },
    )


@role_required(Role.EMPLOYEE)
@require_GET
def new_joiners(request):
    """Employees: who started lately, newest first."""
    page = Paginator(people_new_joiners(), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [person_card(user) for user in page.object_list]
    return render(request, "intranet/new_joiners.html", {"page": page, "cards": cards})


@role_required(Role.EMPLOYEE)
@require_GET
def person(request, pk: int):
    """Employees: one colleague's profile, as much as they show."""
    found = person_get(pk=pk)
    if found is None:
        raise Http404("No such colleague.")
    return render(request, "intranet/person.html", {"card": person_card(found), "me": found.pk == request.user.pk})


@role_required(Role.EMPLOYEE)
@require_GET
def person_photo(request, pk: int):
    """Employees: a colleague's photo, if they show it, and their own (uploads are never served directly)."""
    found = person_get(pk=pk)
    own = (
        found is not None
        and found.pk == request.user.pk
        and bool(getattr(found, "profile", None) and found.profile.photo)
    )
    if found is None or not (own or person_card(found).has_photo):
        raise Http404("No photo.")
    try:
        response = FileResponse(found.profile.photo.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:  # the row outlived its file (a restored database)
        raise Http404("No photo.") from None
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """Employees: their own profile, with a photo and what the directory may show."""
    profile = profile_of(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, initial=ProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                user=request.user,
                title=data["title"],
                location=data["location"],
                start_date=data["start_date"],
                bio=data["bio"],
                skills=data["skills"],
                interests=data["interests"],
                photo=data["photo"] or None,
                remove_photo=data["remove_photo"],
                visibility={name: data[name] for name in VISIBILITY},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("intranet:person", request.user.pk)
    has_photo = bool(profile and profile.photo)
    return render(request, "intranet/profile_edit.html", {"form": form, "has_photo": has_photo})
    return render(
        request,
        "intranet/home.html",
        {"top_ideas": ideas_list(sort="top")[:HOME_TOP_IDEAS], "latest_posts": posts_latest(limit=HOME_LATEST_POSTS)},
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def invite(request):
    """Admins: invite someone to the intranet as an employee (for addresses outside the sign-up domains too)."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, created = employee_invite(
                email=form.cleaned_data["email"], name=form.cleaned_data["name"], by=request.user, request=request
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            verb = "is on its way" if created else "went again, with a new link"
            messages.success(request, f"The invitation to {user.email} {verb}.")
            return redirect("intranet:invite")
    return render(request, "intranet/invite.html", {"form": form})
