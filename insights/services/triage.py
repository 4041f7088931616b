"""Triage: assign, route, tag, respond, mark "no action needed", reopen — on one mention or many.

Status workflow: new → assigned → responded | no action needed | routed, and back (reopen). Every change is a
MentionAction row (who, when, what), written in the same transaction as the change, on rows locked for it, so
two people acting on the same mentions at once both see the other's change and nothing is recorded twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import TruncHour
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Department, User
from insights.models import Channel, Mention, MentionAction, SavedView, Tag
from insights.selectors.triage import filter_query
from insights.services.rollups import rollup_marks_add

Status = Mention.Status
Kind = MentionAction.Kind
OPEN = (Status.NEW, Status.ASSIGNED)
# What response times count (insights.selectors.responses): a change to these recounts the mentions' days.
RESPONSE_FIELDS = {"status", "first_response_at", "department"}


@dataclass
class Change:
    """What one action does to one mention: the fields it sets and the line it adds to the thread."""

    kind: str
    fields: dict = field(default_factory=dict)
    detail: str = ""


def bulk_action_max() -> int:
    return settings.INSIGHTS_BULK_ACTION_MAX


def _apply(
    mentions: QuerySet | Iterable[int], by: User | None, change_of: Callable[[Mention], Change | None]
) -> list[Mention]:
    """Lock the mentions, apply `change_of` to each, save what changed and thread it; returns those that changed."""
    ids = mentions.values_list("pk", flat=True) if isinstance(mentions, QuerySet) else mentions
    with transaction.atomic():
        locked = list(Mention.objects.filter(pk__in=ids).order_by("pk").select_for_update()[: bulk_action_max() + 1])
        if len(locked) > bulk_action_max():
            raise ValidationError(
                f"That is more than {bulk_action_max():,} mentions: narrow the filter and act in several steps."
            )
        now = timezone.now()
        actions, changed, saves = [], [], []
        for mention in locked:
            change = change_of(mention)
            if change is None:
                continue
            before = mention.status
            for name, value in change.fields.items():
                setattr(mention, name, value)
            saves.append((mention, change.fields))
            changed.append(mention)
            actions.append(
                MentionAction(
                    mention=mention,
                    kind=change.kind,
                    actor=by,
                    at=now,
                    detail=change.detail[:300],
                    status_before=before if before != mention.status else "",
                    status_after=mention.status if before != mention.status else "",
                )
            )
        _save(saves)
        if any(not fields.keys().isdisjoint(RESPONSE_FIELDS) for _, fields in saves):
            rollup_marks_add(mention.published_at for mention in changed)
        MentionAction.objects.bulk_create(actions, batch_size=500)
    return changed


# A field that takes at most this many values across a bulk action is saved with one UPDATE per value.
SAME_VALUE_GROUPS = 20


def _save(saves: list[tuple[Mention, dict]]) -> None:
    """Write the changed fields: one UPDATE per value where many mentions take the same one (an assignee, a
    status), a bulk_update (a CASE per row, far slower) only for fields whose values differ (response times)."""
    by_field: dict[str, dict] = {}
    for mention, fields in saves:
        for name, value in fields.items():
            by_field.setdefault(name, {}).setdefault(getattr(value, "pk", value), []).append(mention.pk)
    spread = sorted(name for name, groups in by_field.items() if len(groups) > SAME_VALUE_GROUPS)
    for name, groups in by_field.items():
        if name in spread:
            continue
        column = Mention._meta.get_field(name).attname
        for value, pks in groups.items():
            for start in range(0, len(pks), 900):
                Mention.objects.filter(pk__in=pks[start : start + 900]).update(**{column: value})
    if spread:
        rows = [mention for mention, fields in saves if not fields.keys().isdisjoint(spread)]
        Mention.objects.bulk_update(rows, spread, batch_size=500)


def _reopened_status(mention: Mention) -> str:
    return Status.ASSIGNED if mention.assignee_id else Status.NEW


def mentions_assign(*, mentions, assignee: User | None, by: User | None) -> int:
    """Put a person on the mentions (None: take them off). An open mention becomes assigned (or new again)."""
    if assignee is not None and not assignee.is_active:
        raise ValidationError({"assignee": f"{assignee} can no longer sign in: choose someone else."})

    def change(mention: Mention) -> Change | None:
        if mention.assignee_id == (assignee.pk if assignee else None):
            return None
        fields = {"assignee": assignee}
        if mention.status in OPEN:
            fields["status"] = Status.ASSIGNED if assignee else Status.NEW
        if assignee is None:
            return Change(Kind.UNASSIGNED, fields)
        return Change(Kind.ASSIGNED, fields, f"to {assignee}")

    return len(_apply(mentions, by, change))


def mentions_route(*, mentions, department: Department | None, by: User | None) -> int:
    """Hand the mentions to a department (None: take them back); routed is a status of its own."""

    def change(mention: Mention) -> Change | None:
        if department is None:
            if mention.department_id is None:
                return None
            fields = {"department": None}
            if mention.status == Status.ROUTED:
                fields["status"] = _reopened_status(mention)
            return Change(Kind.UNROUTED, fields)
        if mention.department_id == department.pk and mention.status == Status.ROUTED:
            return None
        return Change(Kind.ROUTED, {"department": department, "status": Status.ROUTED}, f"to {department.name}")

    return len(_apply(mentions, by, change))


def tag_clean(name: str) -> str:
    slug = slugify(name.strip().lstrip("#"), allow_unicode=True)[:50]
    if not slug:
        raise ValidationError({"tag": "A tag needs at least one letter or digit."})
    return slug


def mentions_tag(*, mentions, tag: str, by: User | None, remove: bool = False) -> int:
    """Put a tag on the mentions (or take it off); a tag is created on first use."""
    name = tag_clean(tag)
    through = Mention.tags.through
    with transaction.atomic():
        the_tag = Tag.objects.filter(name=name).first() if remove else Tag.objects.get_or_create(name=name)[0]
        if the_tag is None:
            return 0
        ids = mentions.values_list("pk", flat=True) if isinstance(mentions, QuerySet) else list(mentions)
        tagged = set(through.objects.filter(tag=the_tag, mention_id__in=ids).values_list("mention_id", flat=True))
        kind = Kind.UNTAGGED if remove else Kind.TAGGED
        changed = _apply(ids, by, lambda m: Change(kind, {}, f"#{name}") if (m.pk in tagged) == remove else None)
        if remove:
            through.objects.filter(tag=the_tag, mention__in=changed).delete()
        else:
            through.objects.bulk_create([through(mention=m, tag=the_tag) for m in changed], batch_size=1000)
    return len(changed)


def mentions_no_action(*, mentions, by: User | None) -> int:
    """Nothing to answer or do: the mentions leave the queue and stop counting for response time."""

    def change(mention: Mention) -> Change | None:
        if mention.status == Status.NO_ACTION:
            return None
        return Change(Kind.NO_ACTION, {"status": Status.NO_ACTION})

    return len(_apply(mentions, by, change))


def mentions_reopen(*, mentions, by: User | None) -> int:
    """Back into the queue: assigned if someone is on it, else new. A first response already given still counts."""

    def change(mention: Mention) -> Change | None:
        if mention.status in OPEN:
            return None
        return Change(Kind.REOPENED, {"status": _reopened_status(mention)})

    return len(_apply(mentions, by, change))


def _response_change(
    mention: Mention, *, by: User | None, at: datetime, url: str, kind: str, thanked: bool
) -> Change | None:
    fields = {}
    if mention.first_response_at is None:
        fields = {
            "first_response_at": at,
            "first_response_by": by,
            "first_response_url": url,
            "first_response_kind": kind,
        }
    elif mention.status == Status.RESPONDED:
        return None  # the first response counts; marking it again changes nothing
    fields["status"] = Status.RESPONDED
    label = Mention.ResponseKind(kind).label.lower()
    return Change(Kind.THANKED if thanked else Kind.RESPONDED, fields, f"by {label}" + (f": {url}" if url else ""))


def response_time_validate(mention: Mention, at: datetime) -> None:
    if timezone.is_naive(at):
        raise ValidationError({"responded_at": "Give the time with its UTC offset, e.g. 2026-05-04T10:30:00+02:00."})
    if at < mention.published_at:
        raise ValidationError({"responded_at": "A response cannot come before the mention was published."})
    if at > timezone.now() + timedelta(minutes=settings.INSIGHTS_FUTURE_TOLERANCE_MINUTES):
        raise ValidationError({"responded_at": "That time is in the future."})


def mention_respond(
    *,
    mention: Mention,
    by: User | None,
    at: datetime | None = None,
    url: str = "",
    kind: str = Mention.ResponseKind.REPLY,
    thanked: bool = False,
) -> tuple[Mention, bool]:
    """Record that the mention was answered (by a reply, or thanked by a shout-out or a gift).

    Idempotent: the first response counts and is kept; a repeat changes nothing and returns the stored one.
    Returns (the mention as stored, whether this call recorded its first response).
    """
    at = at or timezone.now()
    response_time_validate(mention, at)
    if kind not in Mention.ResponseKind.values:
        raise ValidationError({"kind": "Choose reply, shout_out or gift."})
    first = False

    def change(locked: Mention) -> Change | None:
        nonlocal first
        first = locked.first_response_at is None
        return _response_change(locked, by=by, at=at, url=url, kind=kind, thanked=thanked)

    _apply([mention.pk], by, change)
    return Mention.objects.get(pk=mention.pk), first


def mentions_respond(*, mentions, by: User | None, at_of: Callable[[Mention], datetime] | None = None) -> int:
    """Mark the mentions responded now (answered outside Rapport); those answered before keep their first response.

    `at_of` gives each mention's own response time instead (a history brought in, the demo), checked as one."""
    now = timezone.now()

    def change(mention: Mention) -> Change | None:
        at = max(now, mention.published_at) if at_of is None else at_of(mention)
        if at_of is not None:
            response_time_validate(mention, at)
        return _response_change(mention, by=by, at=at, url="", kind="reply", thanked=False)

    return len(_apply(mentions, by, change))


def mention_action_record(*, mention: Mention, kind: str, by: User | None, detail: str = "") -> MentionAction:
    """A line in the thread for a change made elsewhere (a relabel), without touching the mention."""
    return MentionAction.objects.create(mention=mention, kind=kind, actor=by, at=timezone.now(), detail=detail)


def saved_view_save(*, user: User, name: str, query: str, view: SavedView | None = None) -> SavedView:
    """Save the triage filter `query` under `name` for `user` (a new view, or `view` renamed/updated).

    The query keeps the filter's keys only; a name is unique per person."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    if SavedView.objects.filter(user=user, name=name).exclude(pk=view.pk if view else None).exists():
        raise ValidationError({"name": f"You already have a view called “{name}”."})
    view = view or SavedView(user=user)
    view.name = name
    view.query = filter_query(QueryDict(query))
    view.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:  # the same name saved at the same moment, in another tab
        raise ValidationError({"name": f"You already have a view called “{name}”."}) from None
    return view


def saved_view_delete(*, view: SavedView) -> None:
    """Forget a saved view (the mentions it showed stay as they are)."""
    view.delete()


def response_due_recompute(*, channel: Channel) -> int:
    """After the channel's first-response target changed: the due time of its mentions with no response yet is
    their publication plus the new target (none without a target), in one UPDATE. Mentions already answered keep
    the due time they were answered against; an overdue email already sent is not sent again (overdue_notified_at
    stays). Their hours are marked so that the next rollup pass recounts overdue and on-time figures."""
    unanswered = Mention.objects.filter(channel=channel, first_response_at__isnull=True)
    with transaction.atomic():
        hours = unanswered.annotate(hour=TruncHour("published_at", tzinfo=UTC)).values_list("hour", flat=True)
        rollup_marks_add(hours.distinct().order_by())
        minutes = channel.response_target_minutes
        return unanswered.update(
            response_due_at=None if minutes is None else F("published_at") + timedelta(minutes=minutes)
        )
