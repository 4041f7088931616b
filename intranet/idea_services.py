"""Writes for ideas (IdeaStorm): submit, vote and take it back, comment, status changes and merges.

Each function is one transaction. Votes lock the idea's row so `vote_count` stays exact; the unique
constraint (idea, voter) is the last guard: a concurrent double vote never counts twice.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import notify
from core.exceptions import ApplicationError
from core.validators import text_clean
from intranet.idea_selectors import idea_may_answer, idea_may_manage
from intranet.models import Idea, IdeaComment, IdeaEvent, IdeaVote

Status = Idea.Status


class IdeaNotAllowed(ApplicationError):
    status_code = 403
    code = "permission_denied"


class IdeaClosed(ApplicationError):
    status_code = 409
    code = "idea_merged"


class IdeaMergeRefused(ApplicationError):
    status_code = 409
    code = "merge_refused"


class IdeaReasonRequired(ApplicationError):
    code = "reason_required"


def _url(idea: Idea) -> str:
    return reverse("intranet:idea_detail", args=[idea.pk])


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().get(pk=idea.pk)


def idea_submit(
    *, author: User, title: str, description: str, category: str = Idea.Category.OTHER
) -> tuple[Idea, bool]:
    """(idea, created): a retry (the same author, the same title) returns the idea made the first time."""
    title = text_clean(title, "title", max_length=200)
    description = text_clean(description, "description", max_length=10_000)
    if category not in Idea.Category.values:
        raise ValidationError({"category": f"One of {', '.join(Idea.Category.values)}."})
    try:
        with transaction.atomic():
            return Idea.objects.create(author=author, title=title, description=description, category=category), True
    except IntegrityError:
        return Idea.objects.get(author=author, title__iexact=title), False


def idea_vote(*, idea: Idea, voter: User) -> bool:
    """Vote for `idea`; True when this was a new vote, False when `voter` had voted already."""
    with transaction.atomic():
        locked = _locked(idea)
        if locked.merged_into_id:
            raise IdeaClosed(f"This idea was merged into “{locked.merged_into.title}”: vote there.")
        try:
            with transaction.atomic():
                IdeaVote.objects.create(idea=locked, voter=voter)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=locked.pk).update(vote_count=locked.vote_count + 1)
    return True


def idea_unvote(*, idea: Idea, voter: User) -> bool:
    """Take a vote back; True when there was one. Safe to repeat."""
    with transaction.atomic():
        locked = _locked(idea)
        deleted, _ = IdeaVote.objects.filter(idea=locked, voter=voter).delete()
        if deleted:
            Idea.objects.filter(pk=locked.pk).update(vote_count=max(locked.vote_count - 1, 0))
    return bool(deleted)


def idea_comment(*, idea: Idea, author: User, text: str) -> IdeaComment:
    text = text_clean(text, "text", max_length=5_000)
    return IdeaComment.objects.create(idea=idea, author=author, text=text)


def _notify_followers(idea: Idea, text: str, *, exclude: User | None, also=()) -> None:
    people = set(User.objects.filter(idea_votes__idea=idea)) | {idea.author, *also}
    notify(users=[p for p in people if exclude is None or p.pk != exclude.pk], text=text, url=_url(idea))


def idea_status_set(*, idea: Idea, status: str, by: User, reason: str = "", response: str = "") -> Idea:
    """Move the idea to `status` (declined needs `reason`), with an optional official response.

    Managers (intranet.manage_ideas, admins) and the idea's owner may; the first manager to act becomes
    its owner. Its voters and author (but not `by`) are notified."""
    if status not in Status.values:
        raise ValidationError({"status": f"One of {', '.join(Status.values)}."})
    reason = text_clean(reason, "reason", max_length=5_000, required=False)
    response = text_clean(response, "response", max_length=10_000, required=False)
    if status == Status.DECLINED and not reason:
        raise IdeaReasonRequired("Say why the idea is declined: a reason is required.")
    with transaction.atomic():
        locked = _locked(idea)
        if not idea_may_answer(idea=locked, user=by):
            raise IdeaNotAllowed("Only the idea's owner and people who manage ideas may change its status.")
        if locked.merged_into_id:
            raise IdeaClosed("This idea was merged into another: change that one.")
        previous = locked.status
        if status == previous and not response:
            return locked
        locked.status = status
        locked.decline_reason = reason if status == Status.DECLINED else ""
        if response:
            locked.official_response, locked.responded_by, locked.responded_at = response, by, timezone.now()
        if locked.owner_id is None:
            locked.owner = by
        locked.save()
        if status != previous:
            IdeaEvent.objects.create(
                idea=locked, kind=IdeaEvent.Kind.STATUS, from_status=previous, to_status=status, note=reason, by=by
            )
            text = f"Idea “{locked.title}” is now {locked.get_status_display().lower()}."
            _notify_followers(locked, text, exclude=by)
    return locked


def idea_merge(*, idea: Idea, into: Idea, by: User) -> Idea:
    """Merge the duplicate `idea` into `into`: its votes move (someone who voted both counts once), it
    keeps a pointer to `into` and is closed. Refused into itself, into an idea merged already (a cycle)."""
    if not idea_may_manage(user=by):
        raise IdeaNotAllowed("Only people who manage ideas may merge them.")
    if idea.pk == into.pk:
        raise IdeaMergeRefused("An idea cannot be merged into itself.")
    with transaction.atomic():
        first, second = sorted([idea.pk, into.pk])
        locked = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = locked[idea.pk], locked[into.pk]
        if source.merged_into_id:
            raise IdeaMergeRefused("This idea was merged already.")
        if target.merged_into_id:
            if target.merged_into_id == source.pk:
                raise IdeaMergeRefused("That idea was merged into this one: merging back would make a cycle.")
            raise IdeaMergeRefused("That idea was merged into another one: merge into that one instead.")
        already = IdeaVote.objects.filter(idea=target).values("voter_id")
        IdeaVote.objects.filter(idea=source).exclude(voter_id__in=already).update(idea=target)
        IdeaVote.objects.filter(idea=source).delete()
        target.vote_count = IdeaVote.objects.filter(idea=target).count()
        target.save(update_fields=["vote_count"])
        source.merged_into, source.vote_count = target, 0
        source.save(update_fields=["merged_into", "vote_count"])
        IdeaEvent.objects.create(idea=source, kind=IdeaEvent.Kind.MERGED, note=f"Merged into #{target.pk}", by=by)
        text = f"Idea “{source.title}” was merged into “{target.title}”."
        _notify_followers(target, text, exclude=by, also=[source.author])
    return source
