"""Tracked terms: insights staff add and edit what Rapport listens for (the query is checked)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import form_add_service_errors
from insights import query as term_query
from insights.forms import TermForm
from insights.models import TrackedTerm
from insights.services.terms import term_restore, term_retire, term_save
from insights.views import staff_only


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
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"“{saved.name}” saved. Past mentions are being matched again.")
            return redirect("insights:terms")
    return render(
        request,
        "insights/terms.html",
        {
            "form": form,
            "term": term,
            "terms": TrackedTerm.objects.order_by("-is_active", "kind", "name"),
            "help": term_query.__doc__,
        },
    )


@staff_only
@require_POST
def term_retire_view(request, pk: int):
    """Insights staff: retire a term (it stops matching new mentions; its history stays) or bring it back."""
    term = get_object_or_404(TrackedTerm, pk=pk)
    if request.POST.get("action") == "restore":
        try:
            term_restore(term=term, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"“{term.name}” is tracked again; mentions from while it was retired are being matched."
            )
    else:
        term_retire(term=term, by=request.user)
        messages.success(
            request, f"“{term.name}” is retired: it matches no new mention; its history stays in the reports."
        )
    return redirect("insights:terms")


urlpatterns = [
    path("terms/", terms, name="terms"),
    path("terms/<int:pk>/", terms, name="term_edit"),
    path("terms/<int:pk>/retire/", term_retire_view, name="term_retire"),
]
