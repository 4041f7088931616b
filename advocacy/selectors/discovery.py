"""Advocate discovery: the mention authors who keep speaking well of the brand, ranked.

An author is a channel + handle; authors that staff merged (AdvocatePerson) are one person, whatever
their channels and handles. What counts as speaking about the brand: online mentions, with an author
handle, that match a brand or a product term (TrackedTerm.Kind); a mention that matches only
competitors says nothing about us and is left out. Call-centre notes and other offline mentions are
written by staff, not by their subject, so they are left out too.

Per author, over those mentions: positive mentions (the label that counts, staff corrections
included), average sentiment (the model's score, over every scored one, so someone who also
complains ranks lower), reach (the largest audience seen), engagement (likes + shares + comments
of the positive ones) and the last positive mention. The database aggregates (one GROUP BY with a
HAVING on the minimum of positive mentions, ordered by the score and limited), so the page costs
one scan of the brand's mentions whatever their number; merged people take a second, small query.

Marks: whether a candidate is an ambassador (holds a seat), waits on the waitlist, or has a pending
invitation is known from the invitations that remember the author they were sent to (an invitation
made from this page), matched on channel + handle: mentions carry no email address.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Ln, Power
from django.utils import timezone

from advocacy.models import AdvocateAuthor, AdvocatePerson, Invitation, Membership, WaitlistEntry
from advocacy.selectors.program import SEAT_HOLDING
from insights.models import Channel, Mention, MentionTerm, Sentiment, TrackedTerm

BRAND_KINDS = (TrackedTerm.Kind.BRAND, TrackedTerm.Kind.PRODUCT)
POSITIVE = Q(sentiment_label=Sentiment.POSITIVE)

# The score: a weighted sum of log-scaled parts (ten times the positive mentions is not ten times
# the advocate), times a recency factor that halves the part above 0.5 every RECENCY_HALF_LIFE_DAYS.
WEIGHT_POSITIVE, WEIGHT_SENTIMENT, WEIGHT_REACH, WEIGHT_ENGAGEMENT = 3.0, 2.0, 0.5, 0.5
RECENCY_HALF_LIFE_DAYS = 30
SCORE_FORMULA = (
    "score = (3 × ln(1 + positive mentions) + 2 × average sentiment + 0.5 × ln(1 + reach) "
    "+ 0.5 × ln(1 + engagement)) × (0.5 + 0.5 × 0.5^(days since the last positive mention ÷ 30))"
)
MIN_POSITIVE_MAX = 1000
CACHE_VERSION_KEY = "advocacy:candidates:version"
LIMIT_MAX = 500


class EpochSeconds(Func):
    """Seconds since 1970 of a timestamp, as a float: PostgreSQL's EXTRACT, SQLite's julianday."""

    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, **extra)


@dataclass
class Candidate:
    key: str  # "a:<channel slug>:<handle>" for one author, "p:<person id>" for a merged person
    authors: list[tuple[str, str]]  # (channel slug, handle)
    channel_names: list[str]
    name: str
    positive_mentions: int
    average_sentiment: float | None
    reach: int
    engagement: int
    last_mention_at: datetime
    score: float
    person_id: int | None = None
    ambassador: bool = False
    waitlisted: bool = False
    invited: bool = False

    @property
    def handles(self) -> list[str]:
        return sorted({handle for _, handle in self.authors})

    @property
    def channels(self) -> list[str]:
        return sorted({slug for slug, _ in self.authors})


@dataclass
class CandidateRef:
    """What a candidate key names: one author, or a merged person with their authors."""

    authors: list[tuple[Channel, str]]
    person: AdvocatePerson | None = None
    hidden: bool = False


def brand_mentions() -> QuerySet:
    """Online mentions with an author handle that speak of the brand or its products.

    The few term and channel ids are read first and passed as lists: joined in, they led PostgreSQL to
    misjudge the rows and loop over the mentions once per channel.
    """
    brand_terms = list(TrackedTerm.objects.filter(kind__in=BRAND_KINDS).values_list("pk", flat=True))
    online = list(Channel.objects.filter(kind=Channel.Kind.ONLINE).values_list("pk", flat=True))
    about_us = MentionTerm.objects.filter(mention=OuterRef("pk"), term_id__in=brand_terms)
    return Mention.objects.filter(Exists(about_us), channel_id__in=online).exclude(author_handle="")


def _score(now: datetime):
    days = (Value(now.timestamp()) - EpochSeconds(F("last_mention_at"))) / Value(86400.0)
    recency = Value(0.5) + Value(0.5) * Power(Value(0.5), days / Value(float(RECENCY_HALF_LIFE_DAYS)))
    parts = (
        Value(WEIGHT_POSITIVE) * Ln(Value(1.0) + F("positive"))
        + Value(WEIGHT_SENTIMENT) * Coalesce(F("average_sentiment"), Value(0.0))
        + Value(WEIGHT_REACH) * Ln(Value(1.0) + F("reach"))
        + Value(WEIGHT_ENGAGEMENT) * Ln(Value(1.0) + F("engagement"))
    )
    return parts * recency


def _aggregated(mentions: QuerySet, group: list[str], *, min_positive: int, now: datetime) -> QuerySet:
    """One row per group: the candidate's figures and score, only groups with `min_positive` or more."""
    return (
        mentions.values(*group)
        .annotate(
            positive=Count("pk", filter=POSITIVE),
            average_sentiment=Avg("sentiment_score"),
            reach=Max("author_reach"),
            engagement=Coalesce(Sum(F("likes") + F("shares") + F("comments"), filter=POSITIVE), 0),
            last_mention_at=Max("published_at", filter=POSITIVE),
            name=Max("author_name"),
        )
        .filter(positive__gte=min_positive)
        .annotate(score=_score(now))
        .order_by("-score", "-positive", *group)
    )


def _candidate(row: dict, key: str, authors: list[tuple[str, str]], channel_names: list[str], name: str) -> Candidate:
    return Candidate(
        key=key,
        authors=authors,
        channel_names=channel_names,
        name=name,
        positive_mentions=row["positive"],
        average_sentiment=None if row["average_sentiment"] is None else round(row["average_sentiment"], 3),
        reach=row["reach"],
        engagement=row["engagement"],
        last_mention_at=row["last_mention_at"],
        score=round(row["score"], 2),
    )


def author_key(channel_slug: str, handle: str) -> str:
    return f"a:{channel_slug}:{handle}"


def advocate_candidates(
    *,
    limit: int = 50,
    channel: Channel | None = None,
    min_positive: int | None = None,
    now: datetime | None = None,
    fresh: bool = False,
) -> list[Candidate]:
    """The `limit` best candidates, best first, with their marks; hidden authors are left out.

    `channel`: only candidates who speak on it (a merged person keeps the figures of all their channels).
    A ranking scans every mention of the brand (seconds on millions of them), so the best LIMIT_MAX of
    each (minimum, channel) asked are cached for ADVOCACY_CANDIDATES_CACHE_SECONDS; beat refreshes the
    default one with `fresh=True`, and merging, unmerging and hiding forget them all. Marks are always
    read fresh.
    """
    min_positive = min_positive or settings.ADVOCACY_CANDIDATE_MIN_POSITIVE
    channels = {pk: (slug, name) for pk, slug, name in Channel.objects.values_list("pk", "slug", "name")}
    key = f"advocacy:candidates:{cache.get(CACHE_VERSION_KEY, 0)}:{min_positive}:{channel.pk if channel else ''}"
    ranking = None if fresh else cache.get(key)
    if ranking is None:
        ranking = _ranking(channels, limit=LIMIT_MAX, channel=channel, min_positive=min_positive, now=now)
        cache.set(key, ranking, settings.ADVOCACY_CANDIDATES_CACHE_SECONDS)
    candidates = [replace(candidate) for candidate in ranking[:limit]]  # copies: marks are set on each call
    _mark(candidates, channels, now=timezone.now())
    return candidates


def candidates_forget() -> None:
    """The cached ranking no longer holds (authors were merged, unmerged or hidden)."""
    cache.set(CACHE_VERSION_KEY, cache.get(CACHE_VERSION_KEY, 0) + 1, None)


def _ranking(channels: dict, *, limit, channel, min_positive, now) -> list[Candidate]:
    now = now or timezone.now()
    mentions = brand_mentions()

    # Authors nobody acted on: merged and hidden authors have a row in AdvocateAuthor, everyone else none.
    acted_on = AdvocateAuthor.objects.filter(channel=OuterRef("channel"), handle=OuterRef("author_handle"))
    alone = mentions.filter(~Exists(acted_on))
    if channel is not None:
        alone = alone.filter(channel=channel)
    candidates = []
    for row in _aggregated(alone, ["channel_id", "author_handle"], min_positive=min_positive, now=now)[:limit]:
        slug, channel_name = channels[row["channel_id"]]
        handle = row["author_handle"]
        key = author_key(slug, handle)
        candidates.append(_candidate(row, key, [(slug, handle)], [channel_name], row["name"] or ""))
    candidates += _people(mentions, channels, channel=channel, min_positive=min_positive, now=now)
    candidates.sort(key=lambda c: (-c.score, -c.positive_mentions, c.key))
    return candidates[:limit]


def _people(mentions, channels, *, channel, min_positive, now) -> list[Candidate]:
    """Merged people, each aggregated over all their authors; a person with a hidden author is left out."""
    merged = list(AdvocateAuthor.objects.filter(person__isnull=False).select_related("person"))
    hidden = {author.person_id for author in merged if author.hidden_at}
    people: dict[int, list[AdvocateAuthor]] = {}
    for author in merged:
        if author.person_id not in hidden:
            people.setdefault(author.person_id, []).append(author)
    if channel is not None:
        people = {pk: authors for pk, authors in people.items() if any(a.channel_id == channel.pk for a in authors)}
    if not people:
        return []
    authors = [author for group in people.values() for author in group]
    whens = [When(channel=a.channel_id, author_handle=a.handle, then=Value(a.person_id)) for a in authors]
    theirs = mentions.filter(
        author_handle__in={a.handle for a in authors}, channel__in={a.channel_id for a in authors}
    ).annotate(person=Case(*whens, default=None, output_field=IntegerField()))
    found = []
    for row in _aggregated(theirs.filter(person__isnull=False), ["person"], min_positive=min_positive, now=now):
        group = people[row["person"]]
        pairs = sorted((channels[a.channel_id][0], a.handle) for a in group)
        names = sorted({channels[a.channel_id][1] for a in group})
        name = group[0].person.name or row["name"] or ""
        candidate = _candidate(row, f"p:{row['person']}", pairs, names, name)
        candidate.person_id = row["person"]
        found.append(candidate)
    return found


def _mark(candidates: list[Candidate], channels: dict, *, now: datetime) -> None:
    """Ambassador, waitlisted, invited: from the invitations that remember one of the candidate's authors."""
    slug_to_pk = {slug: pk for pk, (slug, _) in channels.items()}
    by_author = {(slug_to_pk[slug], handle): c for c in candidates for slug, handle in c.authors}
    if not by_author:
        return
    theirs = Q(invitation=OuterRef("pk")) | Q(user=OuterRef("user"))  # whoever accepted it, seated since or not
    invitations = (
        Invitation.objects.filter(
            source=Invitation.Source.DISCOVERY, discovered_handle__in={handle for _, handle in by_author}
        )
        .annotate(
            holds_seat=Exists(Membership.objects.filter(theirs, status__in=SEAT_HOLDING)),
            waits=Exists(
                WaitlistEntry.objects.filter(
                    theirs, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
                )
            ),
        )
        .values_list("discovered_channel", "discovered_handle", "status", "expires_at", "holds_seat", "waits")
    )
    for channel_pk, handle, status, expires_at, holds_seat, waits in invitations:
        candidate = by_author.get((channel_pk, handle))
        if candidate is None:
            continue
        candidate.ambassador |= holds_seat
        candidate.waitlisted |= waits
        candidate.invited |= status == Invitation.Status.PENDING and expires_at > now


def candidate_resolve(key: str) -> CandidateRef | None:
    """The author or merged person a candidate key names, or None when it names nothing."""
    kind, _, rest = (key or "").partition(":")
    if kind == "p" and rest.isdigit() and len(rest) < 19:
        person = AdvocatePerson.objects.filter(pk=int(rest)).first()
        if person is None:
            return None
        authors = list(person.authors.select_related("channel").order_by("pk"))
        return CandidateRef(
            authors=[(a.channel, a.handle) for a in authors],
            person=person,
            hidden=any(a.hidden_at for a in authors),
        )
    slug, _, handle = rest.partition(":")
    if kind != "a" or not handle or len(handle) > 255 or "\x00" in handle:
        return None
    channel = Channel.objects.filter(slug=slug).first()
    if channel is None:
        return None
    row = AdvocateAuthor.objects.filter(channel=channel, handle=handle).select_related("person").first()
    if row and row.person:  # merged since the page was drawn: the person it belongs to
        return candidate_resolve(f"p:{row.person_id}")
    return CandidateRef(authors=[(channel, handle)], hidden=bool(row and row.hidden_at))


def author_hidden(channel: Channel, handle: str) -> bool:
    """Whether this author, or the person they were merged into, was hidden for good (do not contact)."""
    return (
        AdvocateAuthor.objects.filter(hidden_at__isnull=False)
        .filter(
            Q(channel=channel, handle=handle)
            | Q(person__isnull=False, person__authors__channel=channel, person__authors__handle=handle)
        )
        .exists()
    )


def candidate_best_mentions(authors: list[tuple[Channel, str]], *, count: int = 3) -> list[Mention]:
    """The author's (or person's) warmest positive mentions of the brand, for an invitation's note;
    a text they posted several times is quoted once."""
    if not authors:
        return []
    theirs = Q()
    for channel, handle in authors:
        theirs |= Q(channel=channel, author_handle=handle)
    best = brand_mentions().filter(theirs, POSITIVE).select_related("channel")
    distinct = {}
    for mention in best.order_by(F("sentiment_score").desc(nulls_last=True), "-published_at", "-pk")[: count * 5]:
        distinct.setdefault(mention.text, mention)
    return list(distinct.values())[:count]


def ambassadors_from_listening(program=None) -> int:
    """Members (whatever their status now) who joined through an invitation made by advocate discovery."""
    accepted = Invitation.objects.filter(
        source=Invitation.Source.DISCOVERY, status=Invitation.Status.ACCEPTED, user=OuterRef("user")
    )  # the invitation they accepted, also when they were seated later from the waitlist
    members = Membership.objects.filter(Q(invitation__source=Invitation.Source.DISCOVERY) | Exists(accepted))
    return (members.filter(program=program) if program else members).count()


def hidden_count() -> int:
    """Authors hidden for good."""
    return AdvocateAuthor.objects.filter(hidden_at__isnull=False).count()
