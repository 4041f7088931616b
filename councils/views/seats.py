"""The councils' seat pages: the index, each council's page (seats, vacancies and candidates, nominations,
history, the managers' actions), and the nominee's accept/decline page reached from the emailed link."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.models import User
from accounts.roles import Role, has_role
from core.confirm import confirmation
from core.exceptions import ApplicationError
from core.links import site_origin
from councils.access import MANAGE, can_manage, can_view_council
from councils.models import NOTE_MAX, Council, Nomination, SeatKind, Term
from councils.selectors.seats import (
    CouncilNotFound,
    chair_of,
    council_get,
    councils_all,
    councils_of,
    history,
    nominations_pending,
    nominee_choices,
    seat_rows,
    vacancies,
)
from councils.services.seats import (
    DEFAULT_TERM_DAYS,
    UNUSABLE,
    NominationUnusable,
    nomination_accept,
    nomination_by_token,
    nomination_create,
    nomination_decline,
    nomination_withdraw,
    term_make_chair,
    term_vacate,
)


def _council_or_404(kind: str) -> Council:
    try:
        return council_get(kind)
    except CouncilNotFound:
        raise Http404("No such council.") from None


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class NominateForm(forms.Form):
    kind = forms.ChoiceField(choices=SeatKind.choices, widget=forms.HiddenInput)
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person", empty_label="Choose a person")
    starts_on = forms.DateField(label="Term starts", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Term ends", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="Note to the nominee",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Quoted in the email.",
    )

    def __init__(self, *args, council: Council, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind or self.data.get("kind") or SeatKind.BRAND_ADVOCATE
        self.fields["user"].queryset = (
            nominee_choices(council, kind) if kind in SeatKind.values else User.objects.none()
        )
        today = timezone.localdate()
        self.fields["kind"].initial = kind
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + timedelta(days=DEFAULT_TERM_DAYS)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The term must end after it starts.")
        return data


class VacateForm(forms.Form):
    reason = forms.CharField(max_length=NOTE_MAX, strip=True)


@login_required
def index(request):
    """Council members: their councils. Managers: both councils, with their vacancies."""
    manager = can_manage(request.user)
    if not (manager or has_role(request.user, Role.COUNCIL_MEMBER)):
        raise PermissionDenied
    councils = list(councils_all()) if manager else councils_of(request.user)
    cards = []
    for council in councils:
        rows = seat_rows(council)
        cards.append(
            {
                "council": council,
                "rows": rows,
                "chair": next((row.term for row in rows if row.term and row.term.is_chair), None),
                "vacant": sum(row.vacant for row in rows),
            }
        )
    return render(request, "councils/index.html", {"cards": cards, "manager": manager})


def _council_page(request, council: Council, *, forms_by_kind=None, status=200):
    manager = can_manage(request.user)
    rows = seat_rows(council)
    vacant = vacancies(council, rows=rows)
    forms_by_kind = forms_by_kind or {}
    if manager:
        for vacancy in vacant:
            vacancy.form = forms_by_kind.get(vacancy.kind) or NominateForm(
                council=council, kind=vacancy.kind, prefix=vacancy.kind
            )
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "rows": rows,
            "chair": chair_of(council),
            "vacancies": vacant,
            "manager": manager,
            "pending": nominations_pending(council) if manager else [],
            "events": history(council),
            "other_councils": [c for c in councils_all() if c.pk != council.pk and can_view_council(request.user, c)],
        },
        status=status,
    )


def _council_visible(request, kind: str) -> Council:
    """The council, for its members and managers: others get 403 whether it exists or not (a manager, 404)."""
    council = Council.objects.filter(kind=kind).select_related("group").first()
    if council is None or not can_view_council(request.user, council):
        if can_manage(request.user):
            raise Http404("No such council.")
        raise PermissionDenied
    return council


@login_required
def council_page(request, kind: str):
    """A council's members and managers: its six seats, vacancies with candidates, nominations, history."""
    return _council_page(request, _council_visible(request, kind))


@permission_required(MANAGE)
@require_POST
def nominate(request, kind: str):
    """Managers: nominate a person for a vacant seat of a kind; they are emailed the accept and decline links."""
    council = _council_or_404(kind)
    seat_kind = request.POST.get("kind") if request.POST.get("kind") in SeatKind.values else None
    if seat_kind is None:
        seat_kind = next((k for k in SeatKind.values if f"{k}-kind" in request.POST), None)
    form = NominateForm(request.POST, council=council, kind=seat_kind, prefix=seat_kind)
    if not form.is_valid():
        messages.error(request, "The nomination was not sent: correct the form below.")
        return _council_page(request, council, forms_by_kind={seat_kind: form}, status=400)
    data = form.cleaned_data
    try:
        result = nomination_create(
            council=council,
            kind=data["kind"],
            user=data["user"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data["note"],
            by=request.user,
            origin=site_origin(request),
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return _council_page(request, council, forms_by_kind={seat_kind: form}, status=409)
    person = data["user"].name or data["user"].email
    if result.created:
        messages.success(request, f"{person} is nominated; they have been emailed the link to accept or decline.")
    else:
        messages.info(request, f"{person} was nominated already; the nomination is still pending.")
    return redirect("councils:council", kind=council.kind)


@permission_required(MANAGE)
@require_POST
def withdraw(request, kind: str, pk: int):
    """Managers: withdraw a pending nomination; its link stops working."""
    council = _council_or_404(kind)
    nomination = get_object_or_404(Nomination, pk=pk, council=council)
    try:
        nomination_withdraw(nomination=nomination, by=request.user)
        messages.success(request, "The nomination is withdrawn; its link no longer works.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("councils:council", kind=council.kind)


@permission_required(MANAGE)
@require_POST
def make_chair(request, kind: str, pk: int):
    """Managers: make a current member the council's chair."""
    council = _council_or_404(kind)
    term = get_object_or_404(Term.objects.select_related("user"), pk=pk, council=council)
    try:
        term_make_chair(term=term, by=request.user)
        messages.success(request, f"{term.user.name or term.user.email} chairs the {council.name}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("councils:council", kind=council.kind)


@permission_required(MANAGE)
@require_POST
def vacate(request, kind: str, pk: int):
    """Managers: vacate a seat (after confirming); seats that depend on it fall vacant with it."""
    council = _council_or_404(kind)
    term = get_object_or_404(Term.objects.select_related("user"), pk=pk, council=council)
    form = VacateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the seat is vacated; it stays in the council's history.")
        return redirect("councils:council", kind=council.kind)
    person = term.user.name or term.user.email
    dependants = term.dependants.filter(vacated_at__isnull=True).count()
    if ask := confirmation(
        request,
        question=f"Vacate {person}'s seat on the {council.name}?",
        consequence="They leave the council at once."
        + (" Their Customer Advisory Council seat depends on it and falls vacant too." if dependants else ""),
        button="Vacate the seat",
        cancel_url=reverse("councils:council", args=[council.kind]),
    ):
        return ask
    try:
        vacated = term_vacate(term=term, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, f"{len(vacated)} seat(s) vacated.")
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("councils:council", kind=council.kind)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_page(request, token: str):
    """The nominee (signed in): accept or decline a nomination from the emailed link."""
    try:
        nomination = nomination_by_token(token=token, user=request.user)
    except NominationUnusable:
        raise Http404("This nomination link is not valid for you.") from None
    decline = request.GET.get("answer") == "decline"
    context = {"nomination": nomination, "council": nomination.council, "decline": decline}
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                term = nomination_accept(token=token, user=request.user)
                welcome = f"Welcome to the {nomination.council.name}: you hold seat {term.seat.number}."
                messages.success(request, welcome)
                return redirect("councils:council", kind=nomination.council.kind)
            if answer == "decline":
                note = (request.POST.get("note") or "").strip()[:NOTE_MAX]
                nomination_decline(token=token, user=request.user, note=note)
                messages.info(request, "You declined the nomination. Thank you for letting us know.")
                return redirect("councils:nomination", token=token)
            context["error"] = "Choose to accept or to decline."
        except (ApplicationError, ValidationError) as exc:
            context["error"] = _error_text(exc)
        nomination.refresh_from_db()
        return render(request, "councils/nomination.html", context, status=409 if "error" in context else 200)
    status = nomination.status
    if status == Nomination.Status.PENDING and nomination.expires_at <= timezone.now():
        status = Nomination.Status.EXPIRED
    if status not in (Nomination.Status.PENDING, Nomination.Status.ACCEPTED):
        context["error"] = UNUSABLE[status]
    return render(request, "councils/nomination.html", context)


urlpatterns = [
    path("councils/", index, name="index"),
    path("councils/nominations/<str:token>/", nomination_page, name="nomination"),
    path("councils/<slug:kind>/", council_page, name="council"),
    path("councils/<slug:kind>/nominate/", nominate, name="nominate"),
    path("councils/<slug:kind>/nominations/<int:pk>/withdraw/", withdraw, name="nomination_withdraw"),
    path("councils/<slug:kind>/terms/<int:pk>/chair/", make_chair, name="term_chair"),
    path("councils/<slug:kind>/terms/<int:pk>/vacate/", vacate, name="term_vacate"),
]
