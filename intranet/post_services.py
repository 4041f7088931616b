"""Writes for posts: write, edit and delete a post (Markdown rendered and sanitised once, at write time, with
@mentions linked and notified), image attachments, comments, reactions, pins, groups, and moderation
(hide and unhide with a reason, reports and their queue).

Each function is one transaction. Retries find the first write: a post or comment form sent twice carries the
same one-time token (unique per author), a reaction is unique per person and post, a report per reporter and
item. Images are checked and re-encoded before anything is written; a refused one writes nothing.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import notify
from core.exceptions import ApplicationError
from core.validators import text_clean
from intranet.markup import markdown_render_mentions, mentions_find
from intranet.models import (
    ContentReport,
    Group,
    GroupMembership,
    IdeaComment,
    Post,
    PostComment,
    PostImage,
    PostReaction,
)
from intranet.post_selectors import group_is_member, people_by_handle, post_may_moderate
from intranet.services import image_prepare

MAX_IMAGES = 4
MAX_MENTIONS = 20
POST_IMAGE_SIZE = 1600  # attached images fit this square, re-encoded as JPEG
REASON_MAX = 500


class PostNotAllowed(ApplicationError):
    status_code = 403
    code = "permission_denied"


class PostHidden(ApplicationError):
    status_code = 409
    code = "post_hidden"


class ReportRefused(ApplicationError):
    status_code = 409
    code = "report_refused"


def _token(value) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None  # a mangled token only loses the retry guard


def post_url(post: Post) -> str:
    return reverse("intranet:post_detail", args=[post.pk])


def item_url(item) -> str:
    """Where a post, a post comment or an idea comment is read."""
    if isinstance(item, Post):
        return post_url(item)
    if isinstance(item, PostComment):
        return f"{reverse('intranet:post_detail', args=[item.post_id])}#comment-{item.pk}"
    return f"{reverse('intranet:idea_detail', args=[item.idea_id])}#comment-{item.pk}"


def _item_name(item) -> str:
    return "post" if isinstance(item, Post) else "comment"


# --- Rendering and mentions ----------------------------------------------------------------------------


def _render(text: str, field: str) -> tuple[str, dict[str, User]]:
    """(sanitised HTML, the employees mentioned by handle)."""
    handles = mentions_find(text)
    if len(handles) > MAX_MENTIONS:
        raise ValidationError({field: f"Mention {MAX_MENTIONS} people at most in one text."})
    people = people_by_handle(handles)
    links = {
        handle: (reverse("intranet:person", args=[user.pk]), user.get_full_name() or handle)
        for handle, user in people.items()
    }
    return markdown_render_mentions(text, links), people


def _notify_mentioned(people, *, author: User, already=(), text: str, url: str) -> None:
    """Notify the people mentioned (not the author, not those in `already`), each once."""
    known = {user.pk for user in already}
    notify(users=[u for u in people if u.pk != author.pk and u.pk not in known], text=text, url=url)


def _previous_mentions(text: str) -> list[User]:
    return list(people_by_handle(mentions_find(text)).values())


# --- Posts ----------------------------------------------------------------------------------------------


def _images_prepare(images) -> list:
    images = [image for image in images or () if image]
    if len(images) > MAX_IMAGES:
        raise ValidationError({"images": f"Attach {MAX_IMAGES} images at most."})
    prepared, errors = [], []
    for number, upload in enumerate(images, start=1):
        try:
            prepared.append(image_prepare(upload, field="images", max_side=POST_IMAGE_SIZE, name="image.jpg"))
        except ValidationError as exc:
            errors.extend(f"Image {number}: {message}" for message in exc.message_dict["images"])
    if errors:
        raise ValidationError({"images": errors})
    return prepared


def post_create(
    *, author: User, text: str, group: Group | None = None, images=(), submit_token=None
) -> tuple[Post, bool]:
    """(post, created): write a post in the company feed or in `group` (its members only), with up to four
    images. Mentioned employees are notified once. A form sent again (the same `submit_token`) returns
    the post made the first time."""
    text = text_clean(text, "text", max_length=20_000)
    token = _token(submit_token)
    if token is not None:
        existing = Post.objects.filter(author=author, submit_token=token).first()
        if existing is not None:
            return existing, False
    if group is not None and not group_is_member(group=group, user=author):
        raise PostNotAllowed(f"Join “{group.name}” to post in it.")
    prepared = _images_prepare(images)
    html, people = _render(text, "text")
    saved = []
    storage = PostImage._meta.get_field("image").storage
    try:
        with transaction.atomic():
            post = Post.objects.create(author=author, group=group, text=text, html=html, submit_token=token)
            for content, width, height in prepared:
                image = PostImage(post=post, width=width, height=height)
                image.image.save(content.name, content, save=False)
                saved.append(image.image.name)
                image.save()
            _notify_mentioned(
                people.values(),
                author=author,
                text=f"{author.get_full_name()} mentioned you in a post.",
                url=post_url(post),
            )
    except IntegrityError:
        for name in saved:
            storage.delete(name)
        if token is not None:
            existing = Post.objects.filter(author=author, submit_token=token).first()
            if existing is not None:
                return existing, False
        raise
    except Exception:
        for name in saved:
            storage.delete(name)
        raise
    return post, True


def _own_and_open(item, by: User, *, verb: str) -> None:
    if item.author_id != by.pk:
        raise PostNotAllowed(f"Only its author may {verb} this {_item_name(item)}.")


def post_edit(*, post: Post, by: User, text: str) -> Post:
    """Change the text of one's own post: it shows "edited". Only people newly mentioned are notified.
    A post a moderator hid cannot be edited."""
    return _text_edit(post, by=by, text=text_clean(text, "text", max_length=20_000))


def _text_edit(item, *, by: User, text: str):
    """Edit one's own post or post comment (row-locked): re-rendered, marked edited, the newly mentioned told."""
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        _own_and_open(locked, by, verb="edit")
        name = _item_name(locked)
        if locked.is_hidden:
            raise PostHidden(f"A moderator hid this {name}: it can no longer be edited.")
        if text == locked.text:
            return locked
        before = _previous_mentions(locked.text)
        locked.html, people = _render(text, "text")
        locked.text, locked.edited_at = text, timezone.now()
        locked.save(update_fields=["text", "html", "edited_at"])
        _notify_mentioned(
            people.values(),
            author=by,
            already=before,
            text=f"{by.get_full_name()} mentioned you in a {name}.",
            url=item_url(locked),
        )
    return locked


def post_delete(*, post: Post, by: User) -> None:
    """Delete one's own post, with its comments, reactions, reports and images (files go after commit)."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().filter(pk=post.pk).first()
        if locked is None:
            return  # deleted already: a retry
        _own_and_open(locked, by, verb="delete")
        files = list(locked.images.values_list("image", flat=True))
        locked.delete()
        storage = PostImage._meta.get_field("image").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files if name])


def post_pin(*, post: Post, by: User, pinned: bool = True) -> Post:
    """Pin a post at the top of its feed, or unpin it: moderators and staff."""
    if not post_may_moderate(user=by):
        raise PostNotAllowed("Only moderators may pin posts.")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if pinned and locked.pinned_at is None:
            locked.pinned_at = timezone.now()
        elif not pinned:
            locked.pinned_at = None
        locked.save(update_fields=["pinned_at"])
    return locked


def post_react(*, post: Post, user: User, kind: str) -> PostReaction:
    """React to a post: one reaction each; another kind replaces the first."""
    if kind not in PostReaction.Kind.values:
        raise ValidationError({"kind": f"One of {', '.join(PostReaction.Kind.values)}."})
    if Post.objects.filter(pk=post.pk, hidden_at__isnull=False).exists():
        raise PostHidden("A moderator hid this post: it takes no reactions.")
    try:
        with transaction.atomic():
            reaction, _ = PostReaction.objects.update_or_create(post=post, user=user, defaults={"kind": kind})
    except IntegrityError:  # the same reaction sent twice at once: the other request made it
        PostReaction.objects.filter(post=post, user=user).update(kind=kind)
        reaction = PostReaction.objects.get(post=post, user=user)
    return reaction


def post_unreact(*, post: Post, user: User) -> bool:
    """Take one's reaction back; True when there was one. Safe to repeat."""
    deleted, _ = PostReaction.objects.filter(post=post, user=user).delete()
    return bool(deleted)


# --- Comments -------------------------------------------------------------------------------------------


def comment_create(*, post: Post, author: User, text: str, submit_token=None) -> tuple[PostComment, bool]:
    """(comment, created): comment on a post (Markdown, mentions notified; the post's author hears of it).
    Refused on a post a moderator hid. A form sent again returns the first comment."""
    text = text_clean(text, "text", max_length=5_000)
    token = _token(submit_token)
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("author").filter(pk=post.pk).first()
        if locked is None:
            raise PostHidden("This post was deleted: it takes no comments.")
        if locked.is_hidden:
            raise PostHidden("A moderator hid this post: it takes no new comments.")
        if token is not None:
            existing = PostComment.objects.filter(author=author, submit_token=token).first()
            if existing is not None:
                return existing, False
        html, people = _render(text, "text")
        try:
            with transaction.atomic():
                comment = PostComment.objects.create(
                    post=locked, author=author, text=text, html=html, submit_token=token
                )
        except IntegrityError:  # the same form at the same moment (its token is taken): the other made it
            if token is None:
                raise
            return PostComment.objects.get(author=author, submit_token=token), False
        url = item_url(comment)
        _notify_mentioned(
            people.values(), author=author, text=f"{author.get_full_name()} mentioned you in a comment.", url=url
        )
        if locked.author_id != author.pk and locked.author not in people.values():
            notify(users=[locked.author], text=f"{author.get_full_name()} commented on your post.", url=url)
    return comment, True


def comment_edit(*, comment: PostComment, by: User, text: str) -> PostComment:
    """Change the text of one's own comment: it shows "edited"; newly mentioned people are notified."""
    return _text_edit(comment, by=by, text=text_clean(text, "text", max_length=5_000))


def comment_delete(*, comment: PostComment, by: User) -> None:
    """Delete one's own comment. Safe to repeat."""
    with transaction.atomic():
        locked = PostComment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None:
            return
        _own_and_open(locked, by, verb="delete")
        locked.delete()


# --- Groups ---------------------------------------------------------------------------------------------


def group_create(*, name: str, by: User, description: str = "") -> tuple[Group, bool]:
    """(group, created): a new space, which its creator joins. A name taken already (in any case) is
    refused, unless `by` made that group (a form sent twice): then it is returned."""
    name = " ".join(text_clean(name, "name", max_length=80).split())
    description = text_clean(description, "description", max_length=500, required=False)
    existing = Group.objects.filter(name__iexact=name).first()
    if existing is not None:
        if existing.created_by_id == by.pk:
            return existing, False
        raise ValidationError({"name": f"A group named “{existing.name}” exists already: join it."})
    base = slugify(name)[:70] or "group"
    for attempt in range(1, 20):
        slug = base if attempt == 1 else f"{base}-{attempt}"
        try:
            with transaction.atomic():
                group = Group.objects.create(name=name, slug=slug, description=description, created_by=by)
                GroupMembership.objects.create(group=group, user=by)
                return group, True
        except IntegrityError:
            existing = Group.objects.filter(name__iexact=name).first()
            if existing is not None:  # the same name at the same moment
                if existing.created_by_id == by.pk:
                    return existing, False
                raise ValidationError({"name": f"A group named “{existing.name}” exists already: join it."}) from None
    raise ValidationError({"name": "Choose another name."})


def group_join(*, group: Group, user: User) -> bool:
    """Join a group; True when newly joined. Safe to repeat."""
    try:
        with transaction.atomic():
            GroupMembership.objects.create(group=group, user=user)
    except IntegrityError:
        return False
    return True


def group_leave(*, group: Group, user: User) -> bool:
    """Leave a group (one's posts stay in it); True when one was a member."""
    deleted, _ = GroupMembership.objects.filter(group=group, user=user).delete()
    return bool(deleted)


# --- Moderation -----------------------------------------------------------------------------------------

_REPORT_FIELD = {Post: "post", PostComment: "comment", IdeaComment: "idea_comment"}


def _report_filter(item) -> dict:
    return {_REPORT_FIELD[type(item)]: item}


def _moderator(by: User) -> None:
    if not post_may_moderate(user=by):
        raise PostNotAllowed("Only moderators may do this.")


def content_hide(*, item, by: User, reason: str):
    """Hide a post, a post comment or an idea comment, with a reason its author sees; its open reports are
    closed as hidden. The author and those reporters are notified. Hiding it again changes nothing."""
    _moderator(by)
    reason = text_clean(reason, "reason", max_length=REASON_MAX)
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if locked.is_hidden:
            return locked
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), by, reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        reports = ContentReport.objects.filter(outcome=ContentReport.Outcome.OPEN, **_report_filter(locked))
        reporters = list(User.objects.filter(pk__in=reports.values("reporter_id")))
        reports.update(outcome=ContentReport.Outcome.HIDDEN, resolved_by=by, resolved_at=timezone.now())
        name, url = _item_name(locked), item_url(locked)
        notify(users=[locked.author], text=f"A moderator hid your {name}: {reason}", url=url)
        notify(
            users=[u for u in reporters if u.pk != locked.author_id],
            text=f"Thank you: a moderator hid the {name} you reported.",
            url=url,
        )
    return locked


def content_unhide(*, item, by: User):
    """Show hidden content again; its author is notified."""
    _moderator(by)
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if not locked.is_hidden:
            return locked
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = None, None, ""
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        name = _item_name(locked)
        notify(users=[locked.author], text=f"A moderator made your {name} visible again.", url=item_url(locked))
    return locked


def content_report(*, item, reporter: User, reason: str) -> tuple[ContentReport, bool]:
    """(report, created): report a post or comment to the moderators. One report per person and item: a
    second one finds the first. One's own content, and content hidden already, cannot be reported."""
    reason = text_clean(reason, "reason", max_length=REASON_MAX)
    if item.author_id == reporter.pk:
        raise ReportRefused(f"This is your own {_item_name(item)}: edit or delete it instead.")
    existing = ContentReport.objects.filter(reporter=reporter, **_report_filter(item)).first()
    if existing is not None:
        return existing, False
    if type(item).objects.filter(pk=item.pk, hidden_at__isnull=False).exists():
        raise ReportRefused(f"A moderator hid this {_item_name(item)} already.")
    try:
        with transaction.atomic():
            return ContentReport.objects.create(reporter=reporter, reason=reason, **_report_filter(item)), True
    except IntegrityError:
        return ContentReport.objects.get(reporter=reporter, **_report_filter(item)), False


def reports_dismiss(*, item, by: User) -> int:
    """Leave the content up: its open reports are dismissed and their reporters told. Returns how many."""
    _moderator(by)
    with transaction.atomic():
        reports = ContentReport.objects.select_for_update().filter(
            outcome=ContentReport.Outcome.OPEN, **_report_filter(item)
        )
        reporters = list(User.objects.filter(pk__in=[r.reporter_id for r in reports]))
        count = ContentReport.objects.filter(pk__in=[r.pk for r in reports]).update(
            outcome=ContentReport.Outcome.DISMISSED, resolved_by=by, resolved_at=timezone.now()
        )
        name = _item_name(item)
        notify(
            users=reporters,
            text=f"A moderator read your report and left the {name} up: it keeps to the rules.",
            url=item_url(item),
        )
    return count
