"""Proposed invitations: holders of PROPOSE_INVITATION (the Brand Advisory Council) propose someone and
follow their own proposals; program managers (MANAGE_PROGRAM) see every pending proposal and confirm
(the real invitation goes out) or decline with a reason. Thin over advocacy.services.proposals."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.roles import has_permission
from advocacy.forms import ProposalConfirmForm, ProposalDeclineForm, ProposalForm
from advocacy.models import MANAGE_PROGRAM, PROPOSE_INVITATION, InvitationProposal
from advocacy.selectors.program import program_get, seats_free
from advocacy.services.proposals import proposal_confirm, proposal_create, proposal_decline
from advocacy.views.readers import may_manage
from advocacy.views.refuse import refused
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from core.links import site_origin

DECIDED_SHOWN = 50


def _may_propose(user) -> bool:
    return has_permission(user, PROPOSE_INVITATION)


def proposers_and_managers(view):
    """Holders of PROPOSE_INVITATION or MANAGE_PROGRAM; anyone else 403, visitors to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (_may_propose(request.user) or may_manage(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.required_permission = PROPOSE_INVITATION
    return login_required(wrapper)


@proposers_and_managers
@require_http_methods(["GET", "HEAD", "POST"])
def proposals(request):
    """Proposers: propose someone, and their own proposals. Managers: every pending proposal, to decide."""
    if request.method != "POST":
        return _page(request)
    if not _may_propose(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = proposal_create(**form.cleaned_data, proposed_by=request.user)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"Thank you: {proposal.name} is proposed. You will get an email when a manager decides."
            )
            return redirect("advocacy:proposals")
    return _page(request, form=form, status=400)


def _page(request, *, form=None, status=200):
    manages, proposes = may_manage(request.user), _may_propose(request.user)
    listed = InvitationProposal.objects.select_related("proposed_by", "decided_by", "invitation")
    context = {
        "may_manage": manages,
        "may_propose": proposes,
        "form": form or (ProposalForm() if proposes else None),
        "mine": listed.filter(proposed_by=request.user)[:DECIDED_SHOWN] if proposes else [],
    }
    if manages:
        program = program_get()
        context |= {
            "pending": listed.filter(status=InvitationProposal.Status.PENDING).order_by("created_at", "pk"),
            "decided": listed.exclude(status=InvitationProposal.Status.PENDING).order_by("-decided_at", "-pk")[
                :DECIDED_SHOWN
            ],
            "confirm_form": ProposalConfirmForm(),
            "decline_form": ProposalDeclineForm(),
            "seats_free": seats_free(program),
        }
    return render(request, "advocacy/program/proposals.html", context, status=status)


@permission_required(MANAGE_PROGRAM)
@require_POST
def confirm(request, pk: int):
    """Program managers: confirm a proposal, which sends the invitation (POST only)."""
    proposal = get_object_or_404(InvitationProposal, pk=pk)
    form = ProposalConfirmForm(request.POST)
    if not form.is_valid():
        return refused(request, form, _page)
    try:
        proposal = proposal_confirm(
            proposal=proposal, by=request.user, note=form.cleaned_data["note"], origin=site_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        full = "" if seats_free(program_get()) > 0 else " The program is full: if they accept, they join the waitlist."
        messages.success(request, f"Invitation sent to {proposal.email}; {proposal.proposed_by.name} is told.{full}")
    return redirect("advocacy:proposals")


@permission_required(MANAGE_PROGRAM)
@require_POST
def decline(request, pk: int):
    """Program managers: decline a proposal with a reason the proposer reads (POST only)."""
    proposal = get_object_or_404(InvitationProposal, pk=pk)
    form = ProposalDeclineForm(request.POST)
    if not form.is_valid():
        return refused(request, form, _page)
    try:
        proposal = proposal_decline(
            proposal=proposal, by=request.user, reason=form.cleaned_data["reason"], origin=site_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Proposal of {proposal.email} declined; {proposal.proposed_by.name} is told why.")
    return redirect("advocacy:proposals")


urlpatterns = [
    path("program/proposals/", proposals, name="proposals"),
    path("program/proposals/<int:pk>/confirm/", confirm, name="proposal_confirm"),
    path("program/proposals/<int:pk>/decline/", decline, name="proposal_decline"),
]
