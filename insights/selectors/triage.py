"""Reads of the triage inbox: its queue and filters (shared by the page, its bulk actions and any export), capped
counts, the mentions a person may open, an author's history, and what was routed to a department."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.functional import cached_property

from accounts.models import Department, User
from accounts.roles import Role, has_role
from insights.models import Alert, Mention, Sentiment
from insights.selectors.mentions import mentions_inbox
from insights.triage import high_reach, needs_attention

# Counting every match of a broad filter over millions of mentions costs seconds: pages count this many at most
# (about a thousand index probes, a few milliseconds); a bulk action counts up to its own limit when asked.
COUNT_CAP = 1_000

# The queue's quick views: why a mention needs attention. "all" leaves the queue: every mention, any status.
REASONS = {
    "negative": "Negative",
    "questions": "Questions",
    "high_reach": "High reach",
    "alerts": "From alerts",
    "unassigned": "Unassigned",
    "all": "All mentions",
}

# The query-string keys of the triage filter, in the order a saved view keeps them.
FILTER_KEYS = (
    "reason", "status", "assignee", "department", "tag", "min_reach", "term", "channel", "label", "text", "source",
    "start", "end",
)  # fmt: skip


def filter_query(params) -> str:
    """The filter part of a query string (a QueryDict or a dict), without pagination or anything else."""
    from urllib.parse import urlencode

    return urlencode([(key, params.get(key, "").strip()) for key in FILTER_KEYS if params.get(key, "").strip()])


def count_capped(qs: QuerySet, cap: int | None = None) -> int:
    """How many rows `qs` has, counting at most `cap` (COUNT_CAP) + 1 of them (more reads as "1,000+")."""
    return qs.order_by()[: (cap or COUNT_CAP) + 1].count()


def count_text(count: int, cap: int | None = None) -> str:
    """A capped count as people read it: "123", or "1,000+"."""
    cap = cap or COUNT_CAP
    return f"{cap:,}+" if count > cap else f"{count:,}"


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP + 1, so its pages stay cheap on any filter."""

    @cached_property
    def count(self) -> int:
        return count_capped(self.object_list)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def count_text(self) -> str:
        return count_text(self.count)


def _reason_filter(reason: str) -> Q:
    in_alert = Exists(Alert.mentions.through.objects.filter(mention_id=OuterRef("pk")))
    return {
        "negative": Q(sentiment_label=Sentiment.NEGATIVE),
        "questions": Q(is_question=True),
        "high_reach": Q(author_reach__gte=high_reach()),
        "alerts": Q(in_alert),
        "unassigned": Q(assignee__isnull=True),
    }.get(reason, Q())


def mentions_triage(
    *,
    user: User | None = None,
    reason: str = "",
    status: str = "",
    assignee: str = "",
    department: str = "",
    tag: str = "",
    min_reach: int | None = None,
    **inbox_filters,
) -> QuerySet[Mention]:
    """The triage queue, newest first: the mentions that need attention (insights.triage), narrowed by a quick
    view (`reason`) and the filters. `reason="all"` leaves the queue for every mention, of any status.

    `assignee` is "me" (`user`), "nobody" or a user id; `department` a slug; `tag` a tag's name; the other
    filters (term, channel, label, text, source, start, end) are the inbox's (mentions_inbox).
    """
    qs = mentions_inbox(**inbox_filters).select_related("assignee", "department")
    if reason != "all":
        qs = qs.filter(needs_attention() & _reason_filter(reason))
    if status:
        qs = qs.filter(status=status)
    if assignee == "me":
        qs = qs.filter(assignee=user) if user else qs.none()
    elif assignee == "nobody":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=int(assignee))
    if department:
        qs = qs.filter(department__slug=department)
    if tag:
        qs = qs.filter(tags__name=tag)
    if min_reach:
        qs = qs.filter(author_reach__gte=min_reach)
    return qs


def triage_assignees() -> QuerySet[User]:
    """Whom a mention can be given to: active insights staff and department members, by name."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=Role.INSIGHTS_STAFF) | Q(department_memberships__isnull=False))
        .distinct()
        .order_by("name", "email")
    )


def mentions_visible_to(*, user: User) -> QuerySet[Mention]:
    """The mentions `user` may open and act on: insights staff (and admins) all of them, a department member those
    routed to one of their departments, anyone else none."""
    qs = Mention.objects.select_related(
        "channel", "assignee", "department", "sentiment_set_by", "first_response_by"
    ).prefetch_related("terms", "tags")
    if has_role(user, Role.INSIGHTS_STAFF):
        return qs
    return qs.filter(department__memberships__user=user)


@dataclass
class AuthorHistory:
    earlier: list[Mention]
    mentions: int
    positive: int
    negative: int
    reach: int


AUTHOR_HISTORY_SIZE = 10


def mention_author_history(*, mention: Mention) -> AuthorHistory | None:
    """The author's other mentions on the same channel (the most recent ten) and their totals; None when the
    mention has no handle to know the author by."""
    if not mention.author_handle:
        return None
    same = Mention.objects.filter(channel_id=mention.channel_id, author_handle=mention.author_handle)
    totals = same.aggregate(
        mentions=Count("pk"),
        positive=Count("pk", filter=Q(sentiment_label=Sentiment.POSITIVE)),
        negative=Count("pk", filter=Q(sentiment_label=Sentiment.NEGATIVE)),
        reach=Max("author_reach"),  # followers change: the largest seen
    )
    earlier = list(same.exclude(pk=mention.pk).order_by("-published_at", "-id")[:AUTHOR_HISTORY_SIZE])
    return AuthorHistory(earlier=earlier, **{k: v or 0 for k, v in totals.items()})


def mentions_routed_to(department: Department) -> QuerySet[Mention]:
    """What the Customer Insights Team routed to `department`, newest first (whatever became of it since)."""
    return (
        Mention.objects.filter(department=department)
        .select_related("channel", "assignee")
        .order_by("-published_at", "-id")
    )
