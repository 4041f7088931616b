"""Ideas (IdeaStorm) pages: list (hot/top/new), submit, detail with vote, comments, status and merge."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from intranet import idea_services as services
from intranet.idea_selectors import SORTS, idea_may_answer, idea_may_manage, idea_voted, ideas_list, ideas_voted_by
from intranet.models import Idea
from intranet.post_selectors import post_may_moderate

PAGE_SIZE = 25


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(choices=Idea.Category.choices, initial=Idea.Category.OTHER)


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Idea.Status.choices)
    reason = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required to decline."
    )
    response = forms.CharField(
        label="Official response", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label="Merge into idea #", min_value=1, max_value=2**31 - 1)


@role_required(Role.EMPLOYEE)
def idea_list(request):
    """Employees: the ideas, hot/top/new, filtered by category and status."""
    sort = request.GET.get("sort", "hot")
    sort = sort if sort in SORTS else "hot"
    category = request.GET.get("category", "")
    category = category if category in Idea.Category.values else ""
    status = request.GET.get("status", "")
    status = status if status in Idea.Status.values else ""
    page = Paginator(ideas_list(sort=sort, category=category, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "voted": ideas_voted_by(user=request.user, ideas=[i.pk for i in page]),
        "sort": sort,
        "category": category,
        "status": status,
        "sorts": SORTS,
        "categories": Idea.Category.choices,
        "statuses": Idea.Status.choices,
        "query": f"sort={sort}&category={category}&status={status}&",
    }
    return render(request, "intranet/ideas/list.html", context)


@role_required(Role.EMPLOYEE)
def idea_new(request):
    """Employees: submit an idea."""
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea, _ = services.idea_submit(author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your idea is in: colleagues can vote for it now.")
            return redirect("intranet:idea_detail", pk=idea.pk)
    return render(request, "intranet/ideas/new.html", {"form": form})


def _detail(request, idea, *, comment_form=None, status_form=None, merge_form=None, code=200):
    may_answer = idea_may_answer(idea=idea, user=request.user)
    context = {
        "idea": idea,
        "voted": idea_voted(idea=idea, user=request.user),
        "comments": idea.comments.select_related("author"),
        "events": idea.events.select_related("by"),
        "merged": idea.merged_ideas.all(),
        "comment_form": comment_form or CommentForm(),
        "may_answer": may_answer and idea.merged_into_id is None,
        "may_manage": idea_may_manage(user=request.user) and idea.merged_into_id is None,
        "status_form": status_form or StatusForm(initial={"status": idea.status}),
        "merge_form": merge_form or MergeForm(),
        "moderator": post_may_moderate(user=request.user),  # hides and unhides comments
    }
    return render(request, "intranet/ideas/detail.html", context, status=code)


def _get(pk):
    return get_object_or_404(Idea.objects.select_related("author", "owner", "responded_by", "merged_into"), pk=pk)


@role_required(Role.EMPLOYEE)
def idea_detail(request, pk):
    """Employees: one idea, its votes, comments, history and official response."""
    return _detail(request, _get(pk))


@role_required(Role.EMPLOYEE)
@require_POST
def idea_vote(request, pk):
    """Employees: vote for an idea, or take the vote back (`action=unvote`)."""
    idea = _get(pk)
    try:
        if request.POST.get("action") == "unvote":
            services.idea_unvote(idea=idea, voter=request.user)
            messages.success(request, "Your vote is taken back.")
        else:
            services.idea_vote(idea=idea, voter=request.user)
            messages.success(request, "Thank you for your vote.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("intranet:idea_detail", pk=idea.pk)


@role_required(Role.EMPLOYEE)
@require_POST
def idea_comment(request, pk):
    """Employees: comment on an idea."""
    idea = _get(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.idea_comment(idea=idea, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect("intranet:idea_detail", pk=idea.pk)
    return _detail(request, idea, comment_form=form, code=400)


@role_required(Role.EMPLOYEE)
@require_POST
def idea_status(request, pk):
    """The idea's owner and idea managers: change its status, with an official response."""
    idea = _get(pk)
    if not idea_may_answer(idea=idea, user=request.user):
        return render(request, "403.html", status=403)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.idea_status_set(idea=idea, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            messages.success(request, "Status saved; its voters and author are notified.")
            return redirect("intranet:idea_detail", pk=idea.pk)
    return _detail(request, idea, status_form=form, code=400)


@role_required(Role.EMPLOYEE)
@require_POST
def idea_merge(request, pk):
    """Idea managers: merge this duplicate into another idea."""
    idea = _get(pk)
    if not idea_may_manage(user=request.user):
        return render(request, "403.html", status=403)
    form = MergeForm(request.POST)
    if form.is_valid():
        into = Idea.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", "No idea has this number.")
        else:
            try:
                services.idea_merge(idea=idea, into=into, by=request.user)
            except ApplicationError as exc:
                form.add_error("into", exc.message)
            else:
                messages.success(request, f"Merged into “{into.title}”.")
                return redirect("intranet:idea_detail", pk=into.pk)
    return _detail(request, idea, merge_form=form, code=400)
