"""Employee spotlights: the public pages (/spotlights/, no sign-in), the writers' pages (holders of
councils.publish_spotlights), and the employee's own consent and withdrawal pages.

Guards: public pages show only published, consented spotlights (else 404). Writers' pages use
`permission_required`. The consent pages are for the employee in the spotlight only (others: 404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.models import User
from accounts.roles import Role
from core.forms import form_add_service_errors
from councils.models import NOTE_MAX, TEXT_MAX, TITLE_MAX, Spotlight
from councils.selectors.spotlights import (
    PUBLISH,
    spotlight_photo_visible,
    spotlights_all,
    spotlights_of,
    spotlights_public,
)
from councils.services.spotlights import (
    spotlight_consent_record,
    spotlight_consent_request,
    spotlight_consent_withdraw,
    spotlight_create,
    spotlight_publish,
    spotlight_unpublish,
    spotlight_update,
)
from intranet.markup import markdown_render


class SpotlightForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="— choose the colleague —")
    title = forms.CharField(max_length=TITLE_MAX)
    quote = forms.CharField(max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    interview = forms.CharField(
        max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 12}), help_text="Markdown: **bold**, lists, links."
    )
    photo = forms.FileField(required=False, help_text="JPEG, PNG or WebP; re-encoded, its metadata removed.")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["employee"]
        else:
            self.fields["employee"].queryset = (
                User.objects.filter(is_active=True, groups__name=Role.EMPLOYEE).order_by("name", "email").distinct()
            )
            self.fields["employee"].label_from_instance = lambda u: u.get_full_name() or u.email


def _rendered(spotlight: Spotlight) -> dict:
    return {"spotlight": spotlight, "interview_html": markdown_render(spotlight.interview)}


# --- Public --------------------------------------------------------------------------------------------------


def spotlight_list(request):
    """Public (customers read it without signing in): published spotlights with consent."""
    return render(request, "councils/spotlights/list.html", {"spotlights": spotlights_public()[:100]})


def spotlight_detail(request, slug: str):
    """Public; 404 unless published with standing consent."""
    spotlight = get_object_or_404(spotlights_public(), slug=slug)
    return render(request, "councils/spotlights/detail.html", _rendered(spotlight))


def spotlight_photo(request, slug: str):
    """Public once the spotlight is; before that its writers and the employee (others: 404)."""
    spotlight = Spotlight.objects.filter(slug=slug).first()
    if spotlight is None or not spotlight.photo or not spotlight_photo_visible(user=request.user, spotlight=spotlight):
        raise Http404("No photo.")
    try:
        response = FileResponse(spotlight.photo.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404("No photo.") from None
    response["Cache-Control"] = "no-cache"  # a withdrawal must take effect at once
    return response


# --- Writers -------------------------------------------------------------------------------------------------


@permission_required(PUBLISH)
def spotlight_manage(request):
    return render(request, "councils/spotlights/manage.html", {"spotlights": spotlights_all()[:200]})


@permission_required(PUBLISH)
def spotlight_new(request):
    form = SpotlightForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            spotlight = spotlight_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Spotlight saved as a draft. Ask the employee for their consent next.")
            return redirect("councils:spotlight_edit", pk=spotlight.pk)
    return render(request, "councils/spotlights/form.html", {"form": form, "spotlight": None})


@permission_required(PUBLISH)
def spotlight_edit(request, pk: int):
    spotlight = get_object_or_404(Spotlight.objects.select_related("employee"), pk=pk)
    initial = {"title": spotlight.title, "quote": spotlight.quote, "interview": spotlight.interview}
    form = SpotlightForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            spotlight = spotlight_update(spotlight=spotlight, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Spotlight saved.")
            return redirect("councils:spotlight_edit", pk=spotlight.pk)
    return render(request, "councils/spotlights/form.html", {"form": form, **_rendered(spotlight)})


@permission_required(PUBLISH)
@require_POST
def spotlight_request_consent(request, pk: int):
    spotlight = get_object_or_404(Spotlight, pk=pk)
    spotlight_consent_request(spotlight=spotlight, by=request.user)
    messages.success(request, f"{spotlight.employee.get_full_name() or 'The employee'} is asked for consent.")
    return redirect("councils:spotlight_edit", pk=pk)


@permission_required(PUBLISH)
@require_POST
def spotlight_publish_view(request, pk: int):
    spotlight = get_object_or_404(Spotlight, pk=pk)
    try:
        spotlight_publish(spotlight=spotlight, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Published: customers can read it at /spotlights/.")
    return redirect("councils:spotlight_edit", pk=pk)


@permission_required(PUBLISH)
@require_POST
def spotlight_unpublish_view(request, pk: int):
    spotlight = get_object_or_404(Spotlight, pk=pk)
    spotlight_unpublish(spotlight=spotlight, by=request.user)
    messages.success(request, "Unpublished.")
    return redirect("councils:spotlight_edit", pk=pk)


# --- The employee --------------------------------------------------------------------------------------------


def _own(request, pk: int) -> Spotlight:
    """The signed-in employee's own spotlight; 404 for anyone else's."""
    return get_object_or_404(Spotlight.objects.select_related("employee"), pk=pk, employee=request.user)


@login_required
def spotlight_consent(request, pk: int):
    """The employee in the spotlight only: exactly what will be published, with "I consent" / "I do not"."""
    spotlight = _own(request, pk)
    if request.method == "POST":
        answer = request.POST.get("consent")
        if answer not in ("yes", "no"):
            messages.error(request, "Choose “I consent” or “I do not consent”.")
        else:
            spotlight_consent_record(spotlight=spotlight, employee=request.user, consent=answer == "yes")
            if answer == "yes":
                messages.success(request, "Thank you: your consent is recorded. You can withdraw it at any time.")
            else:
                messages.success(request, "Recorded: this spotlight will not be published.")
            return redirect("councils:my_spotlights")
    return render(request, "councils/spotlights/consent.html", _rendered(spotlight))


@login_required
@require_POST
def spotlight_withdraw(request, pk: int):
    """The employee only: withdraws consent; the spotlight is unpublished in this same request."""
    spotlight = _own(request, pk)
    spotlight_consent_withdraw(spotlight=spotlight, employee=request.user)
    messages.success(request, "Your consent is withdrawn: the spotlight is no longer published.")
    return redirect("councils:my_spotlights")


@login_required
def my_spotlights(request):
    """Any signed-in person: the spotlights about them, with their consent and a way to withdraw it."""
    return render(request, "councils/spotlights/mine.html", {"spotlights": spotlights_of(employee=request.user)})


urlpatterns = [
    path("spotlights/", spotlight_list, name="spotlights"),
    path("spotlights/<slug:slug>/", spotlight_detail, name="spotlight"),
    path("spotlights/<slug:slug>/photo.jpg", spotlight_photo, name="spotlight_photo"),
    path("councils/spotlights/manage/", spotlight_manage, name="spotlights_manage"),
    path("councils/spotlights/new/", spotlight_new, name="spotlight_new"),
    path("councils/spotlights/mine/", my_spotlights, name="my_spotlights"),
    path("councils/spotlights/<int:pk>/edit/", spotlight_edit, name="spotlight_edit"),
    path("councils/spotlights/<int:pk>/request-consent/", spotlight_request_consent, name="spotlight_request_consent"),
    path("councils/spotlights/<int:pk>/publish/", spotlight_publish_view, name="spotlight_publish"),
    path("councils/spotlights/<int:pk>/unpublish/", spotlight_unpublish_view, name="spotlight_unpublish"),
    path("councils/spotlights/<int:pk>/consent/", spotlight_consent, name="spotlight_consent"),
    path("councils/spotlights/<int:pk>/withdraw/", spotlight_withdraw, name="spotlight_withdraw"),
]
