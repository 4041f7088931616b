"""Advocate discovery's writes: merge mention authors into one person, unmerge them, hide one for good.

An AdvocateAuthor row exists only while its author is merged or hidden (the table's check constraint):
unmerging deletes the rows of authors that are not hidden, so they rank on their own again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advocacy.models import NOTE_MAX, AdvocateAuthor, AdvocatePerson
from advocacy.selectors.discovery import candidates_forget
from advocacy.services import field_validate
from core.exceptions import ApplicationError
from insights.models import Channel


class DiscoveryError(ApplicationError):
    status_code = 409
    code = "discovery_conflict"


def _authors_clean(authors: list[tuple[Channel, str]]) -> list[tuple[Channel, str]]:
    distinct = {}
    for channel, handle in authors:
        handle = (handle or "").strip()
        if not handle or len(handle) > 255 or "\x00" in handle:
            raise ValidationError({"handle": "A handle has 1 to 255 characters."})
        distinct[(channel.pk, handle)] = (channel, handle)
    return list(distinct.values())


def _forget_ranking() -> None:
    """The cached ranking is stale: forget it now, and again once committed (a page drawn in between
    could have cached the ranking as it was)."""
    candidates_forget()
    transaction.on_commit(candidates_forget)


@transaction.atomic
def advocates_merge(*, authors: list[tuple[Channel, str]], name: str = "", by=None) -> AdvocatePerson:
    """Make these authors (channel + handle, on one channel or several) one person.

    Authors already in a person bring their person along: the oldest person takes everyone, the
    others are dissolved. Needs two authors or more. Reversible with `advocate_unmerge`.
    """
    authors = _authors_clean(authors)
    name = (name or "").strip()
    if len(name) > 150:
        raise ValidationError({"name": "Keep the name under 150 characters."})
    field_validate(AdvocatePerson, "name", name)
    named = Q()
    for channel, handle in authors:
        named |= Q(channel=channel, handle=handle)
    rows = list(AdvocateAuthor.objects.select_for_update().filter(named)) if authors else []
    persons = sorted({row.person_id for row in rows if row.person_id})
    everyone = {(channel.pk, handle) for channel, handle in authors}
    everyone |= set(AdvocateAuthor.objects.filter(person__in=persons).values_list("channel", "handle"))
    if len(everyone) < 2:
        raise DiscoveryError("Choose two authors or more to merge into one person.")
    if persons:
        person = AdvocatePerson.objects.select_for_update().get(pk=persons[0])
        if name:
            person.name = name
            person.save(update_fields=["name"])
    else:
        person = AdvocatePerson.objects.create(name=name, merged_by=by, merged_at=timezone.now())
    AdvocateAuthor.objects.filter(person__in=persons).update(person=person)
    for channel, handle in authors:
        AdvocateAuthor.objects.update_or_create(channel=channel, handle=handle, defaults={"person": person})
    AdvocatePerson.objects.filter(pk__in=persons).exclude(pk=person.pk).delete()
    _forget_ranking()
    return person


@transaction.atomic
def advocate_unmerge(*, person: AdvocatePerson, by=None) -> list[tuple[Channel, str]]:
    """Split a person back into their authors, each ranked on their own again; hidden authors stay hidden."""
    person = AdvocatePerson.objects.select_for_update().filter(pk=person.pk).first()
    if person is None:
        raise DiscoveryError("This person was unmerged already.")
    authors = [(a.channel, a.handle) for a in person.authors.select_related("channel")]
    person.authors.filter(hidden_at__isnull=True).delete()
    person.authors.update(person=None)
    person.delete()
    _forget_ranking()
    return authors


@transaction.atomic
def advocate_hide(*, authors: list[tuple[Channel, str]], reason: str = "", by=None) -> int:
    """Hide these authors for good (they asked not to be contacted): discovery never lists them again,
    and no invitation can be made from them. Hiding twice keeps the first who and when."""
    authors = _authors_clean(authors)
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": f"Keep the reason under {NOTE_MAX:,} characters."})
    field_validate(AdvocateAuthor, "hidden_reason", reason, name="reason")
    now, hidden = timezone.now(), 0
    for channel, handle in authors:
        row, created = AdvocateAuthor.objects.select_for_update().get_or_create(
            channel=channel, handle=handle, defaults={"hidden_at": now, "hidden_by": by, "hidden_reason": reason}
        )
        if not created and row.hidden_at is None:
            row.hidden_at, row.hidden_by, row.hidden_reason = now, by, reason
            row.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        hidden += created or row.hidden_at == now
    _forget_ranking()
    return hidden
