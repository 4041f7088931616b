"""Program pages for managers (permission MANAGE_PROGRAM: insights staff and admins;
council members can be given it): seats and waitlist, the invitation funnel, invitations, members.
The invitation form opens prefilled from an advocate candidate with `?candidate=<key>` (views.discovery).

Holders of READ_PROGRAM (the Brand Advisory Council) open the overview, the invitations and the member
pages read-only (views.readers): no forms, no buttons, no contact data; every write is for managers."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from advocacy.forms import InviteForm, MemberStatusForm
from advocacy.models import MANAGE_PROGRAM, Invitation, InvitationProposal, Membership, MembershipEvent
from advocacy.selectors.discovery import ambassadors_from_listening
from advocacy.selectors.program import (
    SEAT_HOLDING,
    invitation_funnel,
    members_overview,
    members_with_totals,
    program_get,
    seats_free,
    seats_used,
    waitlist_of,
)
from advocacy.services.invitations import invitation_create, invitation_resend, invitation_revoke
from advocacy.services.membership import membership_end, membership_pause, membership_resume
from advocacy.views.discovery import invitation_prefill
from advocacy.views.readers import may_manage, readers_only, refuse_readers_writing
from advocacy.views.refuse import refused
from core.confirm import confirmation
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from core.links import site_origin


@readers_only
def overview(request):
    """Program managers and readers: seats, waitlist, funnel and members."""
    program = program_get()
    used = seats_used(program)
    funnel = invitation_funnel(program)
    return render(
        request,
        "advocacy/program/overview.html",
        {
            "program": program,
            "seats_used": used,
            "seats_free": seats_free(program),
            "seat_share": round(100 * used / program.seat_limit),
            "funnel_steps": [("Sent", funnel["sent"])]
            + [(label, funnel[value]) for value, label in Invitation.Status.choices],
            "waitlist": waitlist_of(program),
            "members": members_overview(program),
            "from_listening": ambassadors_from_listening(program),
            "may_manage": may_manage(request.user),
            "proposals_pending": program.proposals.filter(status=InvitationProposal.Status.PENDING).count(),
        },
    )


@readers_only
def invitations(request):
    """Program managers: invite someone, and every invitation with its status. Readers: the list only."""
    refuse_readers_writing(request)
    manages = may_manage(request.user)
    key = request.GET.get("candidate") if request.method == "GET" and manages else None
    form = InviteForm(request.POST or None, initial=invitation_prefill(request, key) if key else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = invitation_create(**form.cleaned_data, invited_by=request.user, origin=site_origin(request))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("advocacy:invitations")
    status = request.GET.get("status", "")
    listed = program_get().invitations.select_related("invited_by").order_by("-created_at", "-pk")  # newest first
    if status in Invitation.Status.values:
        listed = listed.filter(status=status)
    return render(
        request,
        "advocacy/program/invitations.html",
        {
            "form": form,
            "invitations": listed[:500],
            "status": status,
            "statuses": Invitation.Status.choices,
            "funnel": invitation_funnel(program_get()),
            "invitation_days": settings.ADVOCACY_INVITATION_DAYS,
            "found_as": _found_as(form),
            "may_manage": manages,
        },
        status=400 if form.errors else 200,
    )


def _found_as(form: InviteForm) -> str:
    """The author the invitation comes from, when opened from advocate discovery: "@handle on X"."""
    handle, slug = form["discovered_handle"].value(), form["discovered_channel"].value()
    return f"{handle} on {slug}" if handle and slug else ""


@permission_required(MANAGE_PROGRAM)
@require_POST
def invitation_action(request, pk, action):
    """Program managers: resend (new link) or revoke an invitation, after confirming. POST only."""
    invitation = get_object_or_404(Invitation, pk=pk)
    if action == "revoke" and (
        ask := confirmation(
            request,
            question=f"Revoke the invitation to {invitation.email}?",
            consequence="Its link stops working at once; to invite them again, send a new invitation.",
            button="Revoke the invitation",
            cancel_url=reverse("advocacy:invitations"),
        )
    ):
        return ask
    try:
        if action == "resend":
            invitation_resend(invitation=invitation, by=request.user, origin=site_origin(request))
            messages.success(request, f"A new link was sent to {invitation.email}; the old one no longer works.")
        else:
            invitation_revoke(invitation=invitation, by=request.user)
            messages.success(request, f"The invitation to {invitation.email} is revoked.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("advocacy:invitations")


@readers_only
def member_detail(request, pk):
    """Program managers (and readers, without contact data or actions): one member, their history and activity."""
    member = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    members_with_totals([member])
    return render(
        request,
        "advocacy/program/member.html",
        {
            "member": member,
            "events": member.events.select_related("by"),
            "holds_seat": member.status in SEAT_HOLDING,
            "endings": list(ENDINGS.items()),
            "may_manage": may_manage(request.user),
        },
    )


ENDINGS = {
    MembershipEvent.Kind.LEFT: "Left the program",
    MembershipEvent.Kind.REMOVED: "Removed",
    MembershipEvent.Kind.ALUMNI: "Term ended (alumni)",
}


@permission_required(MANAGE_PROGRAM)
@require_POST
def member_status(request, pk):
    """Program managers: pause, resume or end a membership (POST only); ending frees the seat, after confirming."""
    member = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    form = MemberStatusForm(request.POST)
    if not form.is_valid():
        if "action" in form.errors:
            messages.error(request, "Choose what to do.")
            return redirect("advocacy:member", pk=pk)
        return refused(request, form, lambda request: member_detail(request, pk))
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    if action in ENDINGS and (
        ask := confirmation(
            request,
            question=f"End the membership of {member.user.name or member.user.email} ({ENDINGS[action].lower()})?",
            consequence="Their seat frees and goes to the first person on the waitlist; to come back, "
            "they need a new invitation.",
            button=f"End the membership: {ENDINGS[action].lower()}",
            cancel_url=reverse("advocacy:member", args=[member.pk]),
        )
    ):
        return ask
    try:
        if action == "pause":
            membership_pause(membership=member, reason=reason, by=request.user)
        elif action == "resume":
            membership_resume(membership=member, by=request.user)
        else:
            membership_end(membership=member, kind=action, reason=reason, by=request.user)
        messages.success(request, "The membership is updated.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("advocacy:member", pk=pk)


urlpatterns = [
    path("program/", overview, name="program"),
    path("program/invitations/", invitations, name="invitations"),
    path("program/invitations/<int:pk>/resend/", invitation_action, {"action": "resend"}, name="invitation_resend"),
    path("program/invitations/<int:pk>/revoke/", invitation_action, {"action": "revoke"}, name="invitation_revoke"),
    path("program/members/<int:pk>/", member_detail, name="member"),
    path("program/members/<int:pk>/status/", member_status, name="member_status"),
]
