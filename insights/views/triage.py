"""The triage inbox: the queue of mentions that need attention, its bulk actions and saved views (insights staff),
and a mention's page with its thread, which department members also open for what was routed to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.roles import Role, has_role
from core.confirm import confirmation
from core.redirects import redirect_back
from insights.forms import HUMAN_LABELS, SavedViewForm, TriageActionForm, TriageBulkForm, TriageFilterForm
from insights.models import Channel, Mention, SavedView, Sentiment, TrackedTerm
from insights.selectors.triage import (
    REASONS,
    CappedPaginator,
    count_capped,
    count_text,
    filter_query,
    mention_author_history,
    mentions_triage,
    mentions_visible_to,
    triage_assignees,
)
from insights.services import triage as workflow
from insights.views import PAGE_SIZE, staff_only

# From this many mentions, acting on every mention of a filter asks first.
CONFIRM_FROM = 100
# What a department member (not insights staff) may do on a mention routed to their department.
MEMBER_ACTIONS = ("respond", "no_action", "reopen")


def _triage_context(request, params: QueryDict, *, selected=(), bulk_form=None) -> dict:
    form = TriageFilterForm(params)
    filters = form.filters()
    page = CappedPaginator(mentions_triage(user=request.user, **filters), PAGE_SIZE).get_page(params.get("page"))
    query = filter_query(params)
    views = [
        {"view": view, "count": count_text(count_capped(_saved_view_mentions(request, view)))}
        for view in SavedView.objects.filter(user=request.user)
    ]
    others = {k: v for k, v in QueryDict(query).items() if k != "reason"}
    reasons = [("", "Needs attention"), *REASONS.items()]
    return {
        "page": page,
        "count": count_text(page.paginator.count),
        "form": form,
        "filters": {key: params.get(key, "").strip() for key in form.fields},
        "query": query,
        "quick_views": [
            {
                "label": label,
                "query": filter_query(others | ({"reason": value} if value else {})),
                "active": value == filters.get("reason", ""),
            }
            for value, label in reasons
        ],
        "saved_views": views,
        "terms": TrackedTerm.objects.order_by("name").values_list("name", flat=True),
        "channels": Channel.objects.filter(is_active=True).values_list("slug", "name"),
        "labels": Sentiment.choices,
        "statuses": Mention.Status.choices,
        "assignees": triage_assignees(),
        "departments": Department.objects.order_by("name"),
        "bulk": bulk_form or TriageBulkForm(),
        "selected": {str(pk) for pk in selected},
    }


def _saved_view_mentions(request, view: SavedView):
    return mentions_triage(user=request.user, **TriageFilterForm(QueryDict(view.query)).filters())


@staff_only
def triage(request):
    """Insights staff: the mentions that need attention, with quick views, filters, saved views and bulk actions."""
    return render(request, "insights/triage.html", _triage_context(request, request.GET))


def _act(action: str, mentions, data: dict, by) -> tuple[int, str]:
    """Run one triage action through its service; returns how many mentions changed and what happened to them."""
    if action == "assign":
        return workflow.mentions_assign(
            mentions=mentions, assignee=data["assignee"], by=by
        ), f"assigned to {data['assignee']}"
    if action == "route":
        return workflow.mentions_route(
            mentions=mentions, department=data["department"], by=by
        ), f"routed to {data['department']}"
    if action in ("tag", "untag"):
        name = workflow.tag_clean(data["tag"])
        count = workflow.mentions_tag(mentions=mentions, tag=name, by=by, remove=action == "untag")
        return count, f"tagged #{name}" if action == "tag" else f"no longer tagged #{name}"
    if action == "respond":
        return workflow.mentions_respond(mentions=mentions, by=by), "marked responded"
    if action == "no_action":
        return workflow.mentions_no_action(mentions=mentions, by=by), "marked no action needed"
    return workflow.mentions_reopen(mentions=mentions, by=by), "reopened"


def _done_message(count: int, what: str) -> str:
    if count == 0:
        return f"Nothing changed: no mention needed to be {what}."
    return f"{count:,} mention{'s' if count != 1 else ''} {what}."


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@staff_only
@require_POST
def triage_bulk(request):
    """Insights staff: one action on the ticked mentions, or on every mention of the filter (asks first when many).

    An error re-shows the queue with its filter and the same mentions ticked, nothing changed."""
    form = TriageBulkForm(request.POST)
    params = QueryDict(request.POST.get("q", "")[:2000])
    back = reverse("insights:triage") + (f"?{filter_query(params)}" if filter_query(params) else "")

    def refuse(error: str):
        messages.error(request, error)
        ids = [v for v in request.POST.getlist("ids") if v.isdigit()]
        context = _triage_context(request, params, selected=ids, bulk_form=form)
        return render(request, "insights/triage.html", context, status=400)

    if not form.is_valid():
        return refuse(_form_errors(form))
    data = form.cleaned_data
    if data["scope"] == "all":
        mentions = mentions_triage(user=request.user, **TriageFilterForm(params).filters())
        limit = workflow.bulk_action_max()
        matching = count_capped(mentions, limit)
        if matching >= CONFIRM_FROM:
            verb = TriageBulkForm.ACTIONS[data["action"]].lower()
            many = count_text(matching, limit)
            asked = confirmation(
                request,
                question=f"{verb.capitalize()}: every one of the {many} mentions of this filter?",
                consequence=f"{many} mentions match the filter; each one's thread will record it.",
                button=f"Yes, {verb} them all",
                cancel_url=back,
                final=False,
            )
            if asked is not None:
                return asked
    else:
        mentions = data["ids"]
    try:
        count, what = _act(data["action"], mentions, data, request.user)
    except ValidationError as exc:
        return refuse(" ".join(exc.messages))
    messages.success(request, _done_message(count, what))
    return redirect(back)


@staff_only
@require_POST
def saved_view_create(request):
    """Insights staff: save the queue's current filter under a name of their own."""
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect_back(request, "insights:triage")
    try:
        view = workflow.saved_view_save(
            user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect_back(request, "insights:triage")
    messages.success(request, f"View “{view.name}” saved.")
    return redirect(reverse("insights:triage") + (f"?{view.query}" if view.query else ""))


@staff_only
@require_POST
def saved_view_rename(request, pk: int):
    """Insights staff: rename one of their saved views (someone else's is 404)."""
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    form = SavedViewForm({"name": request.POST.get("name", ""), "query": view.query})
    try:
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        workflow.saved_view_save(user=request.user, name=form.cleaned_data["name"], query=view.query, view=view)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"View renamed “{view.name}”.")
    return redirect_back(request, "insights:triage")


@staff_only
@require_POST
def saved_view_delete(request, pk: int):
    """Insights staff: delete one of their saved views (someone else's is 404)."""
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    workflow.saved_view_delete(view=view)
    messages.success(request, f"View “{view.name}” deleted.")
    return redirect_back(request, "insights:triage")


def _allowed_actions(user) -> tuple[str, ...]:
    return tuple(TriageActionForm.ACTIONS) if has_role(user, Role.INSIGHTS_STAFF) else MEMBER_ACTIONS


@role_required(Role.INSIGHTS_STAFF, Role.EMPLOYEE)
def mention_detail(request, pk: int):
    """A mention with its author, label, workflow and thread. Insights staff open any; a department member only
    those routed to one of their departments (any other is 404, as if it did not exist)."""
    mention = get_object_or_404(mentions_visible_to(user=request.user), pk=pk)
    staff = has_role(request.user, Role.INSIGHTS_STAFF)
    return render(
        request,
        "insights/mention_detail.html",
        {
            "mention": mention,
            "staff": staff,
            "history": mention_author_history(mention=mention) if staff else None,
            "thread": mention.actions.select_related("actor"),
            "actions": _allowed_actions(request.user),
            "assignees": triage_assignees() if staff else (),
            "departments": Department.objects.order_by("name") if staff else (),
            "human_labels": HUMAN_LABELS,
            "overdue": bool(
                mention.response_due_at and not mention.first_response_at and mention.response_due_at < timezone.now()
            ),
        },
    )


@role_required(Role.INSIGHTS_STAFF, Role.EMPLOYEE)
@require_POST
def mention_act(request, pk: int):
    """One triage action on one mention, from its page. Department members may respond, mark "no action needed"
    and reopen the mentions routed to their departments; insights staff may do everything."""
    mention = get_object_or_404(mentions_visible_to(user=request.user), pk=pk)
    form = TriageActionForm(request.POST, actions=_allowed_actions(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("insights:mention_detail", pk=mention.pk)
    data = form.cleaned_data
    try:
        if data["action"] == "respond":  # one mention: the reply's link is kept with its first response
            _, first = workflow.mention_respond(mention=mention, by=request.user, url=data["url"])
            count, what = int(first or mention.status != Mention.Status.RESPONDED), "marked responded"
        else:
            count, what = _act(data["action"], [mention.pk], data, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Mention {what}." if count else _done_message(0, what))
    return redirect("insights:mention_detail", pk=mention.pk)


urlpatterns = [
    path("triage/", triage, name="triage"),
    path("triage/bulk/", triage_bulk, name="triage_bulk"),
    path("triage/views/", saved_view_create, name="saved_view_create"),
    path("triage/views/<int:pk>/", saved_view_rename, name="saved_view_rename"),
    path("triage/views/<int:pk>/delete/", saved_view_delete, name="saved_view_delete"),
    path("mentions/<int:pk>/", mention_detail, name="mention_detail"),
    path("mentions/<int:pk>/act/", mention_act, name="mention_act"),
]
