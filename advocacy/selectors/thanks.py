"""The "thank them" queue: positive mentions by ambassadors and advocate candidates that nobody answered yet."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from advocacy.models import Invitation, Membership
from advocacy.selectors.discovery import LIMIT_MAX, advocate_candidates
from advocacy.selectors.program import SEAT_HOLDING
from insights.models import Channel, Mention, MentionAction, Sentiment


@dataclass(frozen=True)
class Speaker:
    """Who a mention's author is to the program."""

    name: str
    ambassador: bool


def _ambassador_authors() -> dict[tuple[int, str], Speaker]:
    """(channel id, handle) → speaker, for members holding a seat whose invitation remembers the author."""
    seated = Membership.objects.filter(status__in=SEAT_HOLDING, invitation__isnull=False)
    rows = Invitation.objects.filter(pk__in=seated.values("invitation"), discovered_channel__isnull=False).exclude(
        discovered_handle=""
    )
    return {
        (channel_id, handle): Speaker(name or handle, True)
        for channel_id, handle, name in rows.values_list("discovered_channel", "discovered_handle", "name")
    }


def thank_speakers() -> dict[tuple[int, str], Speaker]:
    """Every author the queue thanks: the ambassadors found by listening, then the advocate candidates."""
    slugs = dict(Channel.objects.values_list("slug", "pk"))
    speakers = {}
    for candidate in advocate_candidates(limit=LIMIT_MAX):
        for slug, handle in candidate.authors:
            speakers[(slugs[slug], handle)] = Speaker(candidate.name or handle, candidate.ambassador)
    speakers.update(_ambassador_authors())
    return speakers


def thank_queue(speakers: dict[tuple[int, str], Speaker]) -> QuerySet[Mention]:
    """Their positive mentions with no response yet (and not marked "no action needed"), oldest first."""
    if not speakers:
        return Mention.objects.none()
    by_channel: dict[int, set[str]] = {}
    for channel_id, handle in speakers:
        by_channel.setdefault(channel_id, set()).add(handle)
    theirs = Q()
    for channel_id, handles in by_channel.items():
        theirs |= Q(channel_id=channel_id, author_handle__in=handles)
    return (
        Mention.objects.filter(theirs, sentiment_label=Sentiment.POSITIVE, first_response_at__isnull=True)
        .exclude(status=Mention.Status.NO_ACTION)
        .select_related("channel")
        .order_by("published_at", "pk")
    )


def thanks_recent(limit: int = 10) -> QuerySet[MentionAction]:
    """The latest thank-yous: who thanked whom, when and how."""
    return (
        MentionAction.objects.filter(kind=MentionAction.Kind.THANKED)
        .select_related("actor", "mention", "mention__channel")
        .order_by("-at", "-pk")[:limit]
    )
