"""Findings: staff write them and watch the board; the departments they are routed to act on them."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from accounts.services import notifications_mark_read
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from insights.forms import FindingBoardFilterForm, FindingForm
from insights.models import Finding
from insights.selectors.findings import (
    finding_chart,
    finding_may_act,
    finding_mentions,
    finding_timeline,
    findings_board,
    findings_board_counts,
    findings_visible_to,
)
from insights.selectors.findings import (
    finding_detail as finding_detail_read,
)
from insights.services.findings import (
    MOVES,
    REOPEN_TO,
    finding_acknowledge,
    finding_create,
    finding_reply,
    finding_status_set,
    finding_update,
)
from insights.views import PAGE_SIZE, staff_only

members_and_staff = role_required(Role.EMPLOYEE, Role.INSIGHTS_STAFF)


@staff_only
def findings(request):
    """Insights staff: every finding, open ones first, filtered by department, status and priority; overdue flagged."""
    filters = FindingBoardFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    board = findings_board(
        department=chosen.get("department"),
        status=chosen.get("status", ""),
        priority=chosen.get("priority", ""),
        overdue=chosen.get("overdue", False),
    )
    page = Paginator(board, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/findings.html",
        {
            "filters": filters,
            "page": page,
            "query": f"{query.urlencode()}&" if query else "",
            "counts": findings_board_counts(Finding.objects.all()),
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def finding_write(request, pk: int | None = None):
    """Insights staff: write a finding (the form's one-time token makes a resent form create nothing) or edit one."""
    finding = finding_detail_read(findings=Finding.objects.all(), pk=pk) if pk else None
    if pk and finding is None:
        raise Http404("No such finding.")
    initial = {"token": secrets.token_urlsafe(24)}
    if finding is not None:
        initial = {
            **{field: getattr(finding, field) for field in ("title", "summary", "recommended_action", "priority")},
            **{field: getattr(finding, field) for field in ("due", "chart_term", "chart_start", "chart_end")},
            "departments": list(finding.departments.all()),
            "mentions": ", ".join(str(pk) for pk in finding.mentions.order_by("pk").values_list("pk", flat=True)),
        }
    elif request.GET.get("mentions"):
        initial["mentions"] = request.GET["mentions"][:5000]
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if finding is None:
                token = form.cleaned_data["token"]
                saved, _ = finding_create(
                    **fields, by=request.user, idempotency_key=f"form:{request.user.pk}:{token}" if token else None
                )
            else:
                saved = finding_update(finding=finding, by=request.user, **fields)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Finding “{saved.title}” saved{'' if finding else ' and routed'}.")
            return redirect("insights:finding_detail", pk=saved.pk)
    return render(request, "insights/finding_form.html", {"form": form, "finding": finding})


def _actions(finding: Finding, user) -> dict:
    """What `user` may do to `finding` now, for the buttons."""
    if not finding_may_act(user=user, finding=finding):
        return {}
    moves = MOVES[Finding.Status(finding.status)]
    return {
        "acknowledge": Finding.Status.ACKNOWLEDGED in moves,
        "start": Finding.Status.IN_PROGRESS in moves,
        "done": Finding.Status.DONE in moves,
        "decline": Finding.Status.DECLINED in moves,
        "reopen": finding.is_closed and user.has_role(Role.INSIGHTS_STAFF),
        "reply": True,
        "edit": user.has_role(Role.INSIGHTS_STAFF),
    }


@members_and_staff
def finding_detail(request, pk: int):
    """Insights staff, and members of a department it is routed to: the finding, its evidence and its timeline.

    Anyone else gets 404, as for a finding that does not exist."""
    finding = finding_detail_read(findings=findings_visible_to(user=request.user), pk=pk)
    if finding is None:
        raise Http404("No such finding.")
    notifications_mark_read(user=request.user, url=request.path)  # they have seen what they were told of
    page = Paginator(finding_mentions(finding=finding), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/finding_detail.html",
        {
            "finding": finding,
            "page": page,
            "chart": finding_chart(finding=finding),
            "timeline": finding_timeline(finding=finding),
            "actions": _actions(finding, request.user),
        },
    )


MESSAGES = {
    "acknowledge": "Finding acknowledged.",
    "start": "Finding moved to in progress.",
    "done": "Finding marked done.",
    "decline": "Finding declined.",
    "reopen": "Finding reopened.",
    "reply": "Your reply is on the timeline.",
}


@members_and_staff
@require_POST
def finding_action(request, pk: int, action: str):
    """Insights staff and the departments it is routed to: acknowledge, reply, move or decline a finding."""
    finding = findings_visible_to(user=request.user).filter(pk=pk).first()
    if finding is None:
        raise Http404("No such finding.")
    try:
        if action == "acknowledge":
            finding_acknowledge(finding=finding, by=request.user)
        elif action == "reply":
            finding_reply(finding=finding, text=request.POST.get("text", ""), by=request.user)
        else:
            status = {
                "start": Finding.Status.IN_PROGRESS,
                "done": Finding.Status.DONE,
                "decline": Finding.Status.DECLINED,
                "reopen": REOPEN_TO,
            }[action]
            finding_status_set(finding=finding, status=status, by=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MESSAGES[action])
    return redirect("insights:finding_detail", pk=finding.pk)


urlpatterns = [
    path("findings/", findings, name="findings"),
    path("findings/new/", finding_write, name="finding_create"),
    path("findings/<int:pk>/", finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", finding_write, name="finding_edit"),
    *[
        path(f"findings/<int:pk>/{action}/", finding_action, {"action": action}, name=f"finding_{action}")
        for action in MESSAGES
    ],
]
