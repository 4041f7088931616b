"""Posts pages: the company feed and group feeds, a post with its comments, writing, editing and deleting,
reactions, pins, groups, and moderation (report, hide and unhide, the report queue).

Every page is for employees (and admins); pins, hiding and the queue also need `intranet.moderate_intranet`
or staff (post_selectors.post_may_moderate). Another person's post or comment answers 403 to edit or delete.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from core.confirm import confirmation
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from intranet import post_services as services
from intranet.models import Group, Post, PostComment, PostReaction
from intranet.post_forms import CommentEditForm, CommentForm, EditForm, GroupForm, PostForm, ReasonForm
from intranet.post_selectors import (
    content_get,
    content_visible_to,
    feed_page,
    group_is_member,
    groups_joined,
    groups_list,
    groups_of,
    image_visible,
    post_comments,
    post_get,
    post_may_moderate,
    posts_decorate,
    report_open_count,
    report_queue,
)


def _feed(request, *, group: Group | None, form=None, code=200):
    page = feed_page(viewer=request.user, group=group, cursor=request.GET.get("before", "")[:60])
    member = group is None or group_is_member(group=group, user=request.user)
    context = {
        "group": group,
        "page": page,
        "member": member,
        "form": form or PostForm(),
        "moderator": post_may_moderate(user=request.user),
        "reaction_kinds": PostReaction.Kind.choices,
        "my_groups": groups_joined(user=request.user),
    }
    return render(request, "intranet/posts/feed.html", context, status=code)


@role_required(Role.EMPLOYEE)
@require_GET
def feed(request):
    """Employees: the company feed (posts in no group), pinned posts first, newest first, keyset pages."""
    return _feed(request, group=None)


@role_required(Role.EMPLOYEE)
@require_GET
def group_feed(request, slug: str):
    """Employees: one group's feed; its members write in it."""
    return _feed(request, group=get_object_or_404(Group, slug=slug))


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def post_new(request):
    """Employees: write a post in the company feed, or in a group (`group`: its slug) they belong to."""
    slug = (request.POST.get("group") or request.GET.get("group") or "")[:80]
    group = get_object_or_404(Group, slug=slug) if slug else None
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post, created = services.post_create(
                author=request.user,
                text=data["text"],
                group=group,
                images=data["images"],
                submit_token=data["submit_token"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your post is up." if created else "Your post was up already.")
            return redirect(reverse("intranet:group_feed", args=[group.slug]) if group else reverse("intranet:feed"))
    if request.method == "POST":
        return render(request, "intranet/posts/new.html", {"form": form, "group": group}, status=400)
    return render(request, "intranet/posts/new.html", {"form": form, "group": group})


def _post_or_404(pk: int):
    post = post_get(pk=pk)
    if post is None:
        raise Http404("No such post.")
    return post


def _detail(request, post, *, comment_form=None, code=200):
    posts_decorate([post], viewer=request.user)
    context = {
        "post": post,
        "comments": post_comments(post=post, viewer=request.user),
        "comment_form": comment_form or CommentForm(),
        "moderator": post_may_moderate(user=request.user),
        "detail": True,
    }
    return render(request, "intranet/posts/detail.html", context, status=code)


@role_required(Role.EMPLOYEE)
@require_GET
def post_detail(request, pk: int):
    """Employees: one post with its comments (a hidden one shows its reason to its author only)."""
    return _detail(request, _post_or_404(pk))


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    """The post's author: change its text (it then shows "edited")."""
    post = _post_or_404(pk)
    return _edit(request, post, EditForm, partial(services.post_edit, post=post, by=request.user))


def _edit(request, item, form_class, save):
    """The edit page of one's own post or comment: `save(text=…)` writes it through the service."""
    if item.author_id != request.user.pk:
        raise PermissionDenied
    name = "post" if isinstance(item, Post) else "comment"
    form = form_class(request.POST or None, initial={"text": item.text})
    if request.method == "POST" and form.is_valid():
        try:
            save(text=form.cleaned_data["text"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Your {name} is saved.")
            return redirect(services.item_url(item))
    context = {"form": form, "title": f"Edit your {name}", "cancel_url": services.item_url(item)}
    return render(request, "intranet/posts/edit.html", context, status=400 if form.errors else 200)


@role_required(Role.EMPLOYEE)
@require_POST
def post_delete(request, pk: int):
    """The post's author: delete it, with its comments and images, after a confirmation."""
    post = _post_or_404(pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    asking = confirmation(
        request,
        question="Delete this post?",
        consequence="Its comments, reactions and images go with it.",
        button="Delete the post",
        cancel_url=reverse("intranet:post_detail", args=[pk]),
    )
    if asking:
        return asking
    services.post_delete(post=post, by=request.user)
    messages.success(request, "Your post is deleted.")
    return redirect(reverse("intranet:group_feed", args=[post.group.slug]) if post.group else reverse("intranet:feed"))


def _back(request, fallback: str) -> str:
    """The page the form was on (same site only), else `fallback`."""
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


@role_required(Role.EMPLOYEE)
@require_POST
def post_react(request, pk: int):
    """Employees: react to a post (`kind`), change the reaction, or take it back (`action=remove`)."""
    post = _post_or_404(pk)
    try:
        if request.POST.get("action") == "remove":
            services.post_unreact(post=post, user=request.user)
        else:
            services.post_react(post=post, user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError:
        messages.error(request, "Choose a reaction.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, f"{reverse('intranet:post_detail', args=[pk])}"))


@role_required(Role.EMPLOYEE)
@require_POST
def post_pin(request, pk: int):
    """Moderators and staff: pin a post at the top of its feed (`action=unpin` to unpin)."""
    post = _post_or_404(pk)
    if not post_may_moderate(user=request.user):
        raise PermissionDenied
    pinned = request.POST.get("action") != "unpin"
    services.post_pin(post=post, by=request.user, pinned=pinned)
    messages.success(request, "Pinned at the top of its feed." if pinned else "Unpinned.")
    return redirect("intranet:post_detail", pk=pk)


@role_required(Role.EMPLOYEE)
@require_POST
def post_comment(request, pk: int):
    """Employees: comment on a post (refused on a post a moderator hid)."""
    post = _post_or_404(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment, _ = services.comment_create(
                post=post,
                author=request.user,
                text=form.cleaned_data["text"],
                submit_token=form.cleaned_data["submit_token"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(services.item_url(comment))
    return _detail(request, post, comment_form=form, code=400)


def _comment_or_404(pk: int) -> PostComment:
    return get_object_or_404(PostComment.objects.select_related("post", "author"), pk=pk)


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int):
    """The comment's author: change its text (it then shows "edited")."""
    comment = _comment_or_404(pk)
    return _edit(request, comment, CommentEditForm, partial(services.comment_edit, comment=comment, by=request.user))


@role_required(Role.EMPLOYEE)
@require_POST
def comment_delete(request, pk: int):
    """The comment's author: delete it, after a confirmation."""
    comment = _comment_or_404(pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    back = reverse("intranet:post_detail", args=[comment.post_id])
    asking = confirmation(
        request, question="Delete this comment?", consequence="", button="Delete the comment", cancel_url=back
    )
    if asking:
        return asking
    services.comment_delete(comment=comment, by=request.user)
    messages.success(request, "Your comment is deleted.")
    return redirect(back)


@role_required(Role.EMPLOYEE)
@require_GET
def post_image(request, pk: int):
    """Employees: an image attached to a post they may read (uploads are never served directly)."""
    image = image_visible(image_pk=pk, viewer=request.user)
    if image is None:
        raise Http404("No image.")
    try:
        response = FileResponse(image.image.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404("No image.") from None
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Groups ---------------------------------------------------------------------------------------------


@role_required(Role.EMPLOYEE)
@require_GET
def groups(request):
    """Employees: every group, the ones they belong to marked."""
    return render(request, "intranet/groups/list.html", {"groups": groups_list(), "mine": groups_of(user=request.user)})


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def group_new(request):
    """Employees: start a group (they join it)."""
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group, _ = services.group_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"“{group.name}” is open: invite colleagues to join.")
            return redirect("intranet:group_feed", slug=group.slug)
    return render(request, "intranet/groups/new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.EMPLOYEE)
@require_POST
def group_membership(request, slug: str):
    """Employees: join a group, or leave it (`action=leave`)."""
    group = get_object_or_404(Group, slug=slug)
    if request.POST.get("action") == "leave":
        services.group_leave(group=group, user=request.user)
        messages.success(request, f"You left “{group.name}”.")
    else:
        services.group_join(group=group, user=request.user)
        messages.success(request, f"You joined “{group.name}”.")
    return redirect("intranet:group_feed", slug=group.slug)


# --- Moderation -----------------------------------------------------------------------------------------


def _content_or_404(kind: str, pk: int):
    item = content_get(kind=kind, pk=pk)
    if item is None:
        raise Http404("Nothing to see here.")
    return item


def _moderator_only(request) -> None:
    if not post_may_moderate(user=request.user):
        raise PermissionDenied


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def content_report(request, kind: str, pk: int):
    """Employees: report a post or comment (not their own) to the moderators, with a reason."""
    item = _content_or_404(kind, pk)
    if not content_visible_to(item, user=request.user):
        raise Http404("Nothing to see here.")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "What is wrong with it?"
    if request.method == "POST" and form.is_valid():
        try:
            _, created = services.content_report(item=item, reporter=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                "Thank you: moderators will look at it."
                if created
                else "You reported it already: moderators will look at it.",
            )
            return redirect(services.item_url(item))
    context = {"form": form, "item": item, "kind": kind, "action": "report", "back": services.item_url(item)}
    return render(request, "intranet/moderation/reason.html", context, status=400 if form.errors else 200)


@role_required(Role.EMPLOYEE)
@require_http_methods(["GET", "POST"])
def content_hide(request, kind: str, pk: int):
    """Moderators and staff: hide a post or comment, with a reason its author sees."""
    _moderator_only(request)
    item = _content_or_404(kind, pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Reason (its author sees it)"
    if request.method == "POST" and form.is_valid():
        try:
            services.content_hide(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Hidden; its author sees your reason.")
            return redirect(_back(request, services.item_url(item)))
    context = {"form": form, "item": item, "kind": kind, "action": "hide", "back": services.item_url(item)}
    return render(request, "intranet/moderation/reason.html", context, status=400 if form.errors else 200)


@role_required(Role.EMPLOYEE)
@require_POST
def content_unhide(request, kind: str, pk: int):
    """Moderators and staff: show hidden content again."""
    _moderator_only(request)
    item = _content_or_404(kind, pk)
    services.content_unhide(item=item, by=request.user)
    messages.success(request, "Visible again.")
    return redirect(services.item_url(item))


@role_required(Role.EMPLOYEE)
@require_POST
def report_dismiss(request, kind: str, pk: int):
    """Moderators and staff: leave reported content up; its open reports are dismissed."""
    _moderator_only(request)
    item = _content_or_404(kind, pk)
    services.reports_dismiss(item=item, by=request.user)
    messages.success(request, "Reports dismissed; the reporters are told.")
    return redirect("intranet:report_queue")


@role_required(Role.EMPLOYEE)
@require_GET
def report_queue_view(request):
    """Moderators and staff: open reports, grouped by what they are about, with hide and dismiss."""
    _moderator_only(request)
    context = {"items": report_queue(), "open_count": report_open_count(), "form": ReasonForm()}
    return render(request, "intranet/moderation/queue.html", context)
