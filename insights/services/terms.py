"""Tracked terms and channels: what the team listens for, and where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.exceptions import ApplicationError
from core.queue import task_queue_on_commit
from insights.models import Channel, Mention, MentionTerm, TrackedTerm
from insights.query import InvalidTermQuery, parse, parse_bounded, tokenize
from insights.services.rollups import rollup_marks_add
from insights.services.triage import response_due_recompute


def term_query_validate(query: str) -> str:
    """Parse a term query within the size limits, or raise a ValidationError that gives the position of the error."""
    try:
        parse_bounded(query)
    except InvalidTermQuery as exc:
        raise ValidationError({"query": str(exc)}) from exc
    return query


def term_save(*, term: TrackedTerm | None = None, name: str, kind: str, query: str) -> TrackedTerm:
    """Create or update a tracked term; a changed query re-matches past mentions in a task.

    At most INSIGHTS_MAX_ACTIVE_TERMS active terms: with the size limits of a query, that bounds what
    matching costs every incoming mention (the `ingest` benchmark measures 200 terms)."""
    term_query_validate(query)
    with transaction.atomic():
        if term is None and TrackedTerm.objects.filter(is_active=True).count() >= settings.INSIGHTS_MAX_ACTIVE_TERMS:
            raise ValidationError(
                f"Rapport tracks at most {settings.INSIGHTS_MAX_ACTIVE_TERMS} active terms: retire one "
                "first, or widen an existing term's query."
            )
        term = term or TrackedTerm()
        query_changed = term.pk is None or term.query != query
        term.name, term.kind, term.query = name.strip(), kind, query
        term.full_clean()
        term.save()
        if query_changed:
            task_queue_on_commit("insights.tasks.term_rematch_task", term.pk)
    return term


REMATCH_CHUNK = 5000


def term_rematch(*, term_id: int) -> int:
    """Match every stored mention against the term's current query again. Safe to run twice.

    Works through the mentions in chunks of ids, one transaction each, so a killed
    worker leaves whole chunks done; the hours of changed links are marked.
    """
    term = TrackedTerm.objects.filter(pk=term_id).first()
    if term is None or not term.is_active:
        return 0  # a retired term keeps the links it had: they are its history
    query = parse(term.query)
    changed = 0
    last_id = 0
    while True:
        chunk = list(
            Mention.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "text", "published_at")[:REMATCH_CHUNK]
        )
        if not chunk:
            return changed
        last_id = chunk[-1][0]
        ids = [pk for pk, _, _ in chunk]
        with transaction.atomic():
            linked = set(
                MentionTerm.objects.filter(term_id=term_id, mention_id__in=ids).values_list("mention_id", flat=True)
            )
            matching = {pk for pk, text, _ in chunk if query.matches_tokens(tokenize(text))}
            added, removed = matching - linked, linked - matching
            if not (added or removed):
                continue
            MentionTerm.objects.filter(term_id=term_id, mention_id__in=removed).delete()
            MentionTerm.objects.bulk_create([MentionTerm(mention_id=pk, term_id=term_id) for pk in added])
            rollup_marks_add(published for pk, _, published in chunk if pk in added or pk in removed)
            changed += len(added) + len(removed)


def term_retire(*, term: TrackedTerm, by) -> TrackedTerm:
    """Retire a term: it matches no new mention from now on, and frees a place among the active terms.

    The mentions it matched keep it, and so do their rollups: past series and reports are unchanged.
    Retiring a retired term changes nothing."""
    with transaction.atomic():
        locked = TrackedTerm.objects.select_for_update().get(pk=term.pk)
        if locked.is_active:
            locked.is_active, locked.retired_at, locked.retired_by = False, timezone.now(), by
            locked.save(update_fields=["is_active", "retired_at", "retired_by", "updated_at"])
    term.refresh_from_db()
    return term


def term_restore(*, term: TrackedTerm, by) -> TrackedTerm:
    """Bring a retired term back: it matches new mentions again, and the mentions that came while it was
    retired are matched in a task. Refused when INSIGHTS_MAX_ACTIVE_TERMS terms are already active."""
    with transaction.atomic():
        locked = TrackedTerm.objects.select_for_update().get(pk=term.pk)
        if not locked.is_active:
            if TrackedTerm.objects.filter(is_active=True).count() >= settings.INSIGHTS_MAX_ACTIVE_TERMS:
                raise ValidationError(
                    f"Rapport tracks at most {settings.INSIGHTS_MAX_ACTIVE_TERMS} active terms: retire one first."
                )
            locked.is_active, locked.retired_at, locked.retired_by = True, None, None
            locked.save(update_fields=["is_active", "retired_at", "retired_by", "updated_at"])
            task_queue_on_commit("insights.tasks.term_rematch_task", locked.pk)
    term.refresh_from_db()
    return term


class InUse(ApplicationError):
    status_code = 409
    code = "in_use"


def term_delete(*, term: TrackedTerm) -> None:
    """Delete a term: its links and per-term rollup rows go with it; totals are untouched."""
    term.delete()


TARGET_MAX_MINUTES = 366 * 24 * 60  # a year: beyond it, "no target" says the same


def channel_save(
    *,
    channel: Channel | None = None,
    slug: str,
    name: str,
    kind: str,
    is_active: bool = True,
    response_target_minutes: int | None,
    owner: User | None,
) -> Channel:
    """Create or update a channel (admins add channels beyond the default ones), with its first-response target
    (minutes; None: no target) and its owner (told of overdue mentions nobody is assigned to). A changed target
    re-computes the due time of the channel's unanswered mentions, in the same transaction."""
    if response_target_minutes is not None and not 1 <= response_target_minutes <= TARGET_MAX_MINUTES:
        raise ValidationError(
            {"response_target_minutes": f"Between 1 and {TARGET_MAX_MINUTES:,} minutes (a year), or none."}
        )
    if owner is not None and not (owner.is_active and owner.has_role(Role.INSIGHTS_STAFF)):
        raise ValidationError({"owner": f"{owner} is not active insights staff: choose someone who is."})
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk) if channel else Channel()
        target_changed = channel.pk is not None and channel.response_target_minutes != response_target_minutes
        channel.slug, channel.name, channel.kind, channel.is_active = slug, name.strip(), kind, is_active
        channel.response_target_minutes, channel.owner = response_target_minutes, owner
        channel.full_clean()
        channel.save()
        if target_changed:
            response_due_recompute(channel=channel)
    return channel


def channel_delete(*, channel: Channel) -> None:
    """Delete a channel that no mention or feed uses; otherwise deactivate it instead."""
    if channel.mentions.exists() or channel.feeds.exists():
        raise InUse(f"“{channel.name}” has mentions or feeds: deactivate it (is_active=false) instead.")
    channel.delete()
