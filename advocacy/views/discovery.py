"""Advocate discovery for program managers (permission MANAGE_PROGRAM): the mention authors who keep
speaking well of the brand, ranked; merge authors into one person (and back), hide one for good,
and invite one through the invitation form, prefilled."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from advocacy.forms import CandidateFilterForm, HideForm, MergeForm
from advocacy.models import MANAGE_PROGRAM, NOTE_MAX, AdvocatePerson
from advocacy.selectors.discovery import (
    SCORE_FORMULA,
    advocate_candidates,
    candidate_best_mentions,
    candidate_resolve,
    hidden_count,
)
from advocacy.services.discovery import advocate_hide, advocate_unmerge, advocates_merge
from advocacy.views.refuse import refused
from core.confirm import confirmation
from core.exceptions import ApplicationError
from core.redirects import redirect_back

PAGE_LIMIT = 100  # candidates on the page; the API gives up to 500


@permission_required(MANAGE_PROGRAM)
def candidates(request):
    """Program managers: the ranked candidates, filtered by channel and minimum positive mentions."""
    form = CandidateFilterForm(request.GET)
    listed = []
    if form.is_valid():
        listed = advocate_candidates(
            limit=PAGE_LIMIT, channel=form.cleaned_data["channel"], min_positive=form.cleaned_data["min_positive"]
        )
    return render(
        request,
        "advocacy/program/candidates.html",
        {
            "form": form,
            "candidates": listed,
            "formula": SCORE_FORMULA,
            "hidden": hidden_count(),
            "limit": PAGE_LIMIT,
            "here": request.get_full_path(),
        },
        status=200 if form.is_valid() else 400,
    )


@permission_required(MANAGE_PROGRAM)
@require_POST
def candidates_merge(request):
    """Program managers: the ticked candidates become one person (POST only)."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        return refused(request, form, candidates)
    refs = [candidate_resolve(key) for key in form.cleaned_data["candidates"]]
    if None in refs:
        messages.error(request, "A ticked candidate is no longer listed; nothing was merged.")
        return redirect_back(request, "advocacy:candidates")
    authors = [author for ref in refs for author in ref.authors]
    try:
        person = advocates_merge(authors=authors, name=form.cleaned_data["name"], by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{person.authors.count()} authors are now one person.")
    return redirect_back(request, "advocacy:candidates")


@permission_required(MANAGE_PROGRAM)
@require_POST
def candidate_unmerge(request, pk):
    """Program managers: split a merged person back into their authors (POST only)."""
    person = get_object_or_404(AdvocatePerson, pk=pk)
    try:
        authors = advocate_unmerge(person=person, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Unmerged: {', '.join(handle for _, handle in authors)} are listed on their own.")
    return redirect_back(request, "advocacy:candidates")


@permission_required(MANAGE_PROGRAM)
@require_POST
def candidate_hide(request):
    """Program managers: hide a candidate for good, after confirming (POST only)."""
    form = HideForm(request.POST)
    if not form.is_valid():
        return refused(request, form, candidates)
    ref = candidate_resolve(form.cleaned_data["candidate"])
    if ref is None:
        messages.error(request, "That candidate is no longer listed.")
        return redirect_back(request, "advocacy:candidates")
    handles = ", ".join(sorted({handle for _, handle in ref.authors}))
    if ask := confirmation(
        request,
        question=f"Hide {handles} for good?",
        consequence="Use this when they asked not to be contacted: they are never listed as candidates again "
        "and cannot be invited from discovery. Only an admin can undo it.",
        button="Hide for good",
        cancel_url=reverse("advocacy:candidates"),
    ):
        return ask
    advocate_hide(authors=ref.authors, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, f"{handles} will not be listed again.")
    return redirect_back(request, "advocacy:candidates")


def invitation_prefill(request, key: str) -> dict:
    """What the invitation form starts with when opened from a candidate: name, a note quoting their best
    mentions, and the author it came from (hidden fields). Empty, with a message, when it cannot be used."""
    ref = candidate_resolve(key)
    if ref is None:
        messages.error(request, "That candidate is no longer listed.")
        return {}
    if ref.hidden:
        messages.error(request, "That candidate asked not to be contacted: they are hidden for good.")
        return {}
    best = candidate_best_mentions(ref.authors)
    channel, handle = (best[0].channel, best[0].author_handle) if best else ref.authors[0]
    name = (ref.person.name if ref.person else "") or next((m.author_name for m in best if m.author_name), "")
    quotes = "\n".join(
        f"“{mention.text[:280]}” ({mention.channel.name}, {mention.published_at:%-d %B %Y})" for mention in best
    )
    note = f"We read what you say about us, and it made our day:\n{quotes}" if quotes else ""
    return {
        "name": name[:150],
        "note": note[:NOTE_MAX],
        "discovered_channel": channel.slug,
        "discovered_handle": handle,
    }


urlpatterns = [
    path("program/candidates/", candidates, name="candidates"),
    path("program/candidates/merge/", candidates_merge, name="candidates_merge"),
    path("program/candidates/hide/", candidate_hide, name="candidate_hide"),
    path("program/candidates/people/<int:pk>/unmerge/", candidate_unmerge, name="candidate_unmerge"),
]
