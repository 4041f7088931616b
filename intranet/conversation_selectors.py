"""The internal conversation of a period, as text: what the councils' conversation gap reads.

`internal_texts(start=…, end=…, limit=…)`: the period's posts, post comments, ideas (title and description),
idea comments and workplace feedback, hidden (moderated) posts and comments left out; all of them up to
`limit`, else a deterministic sample of `limit` shared between the kinds in proportion to their counts (the
rows of each kind with the lowest hash of their key: the same rows give the same sample).

Feedback follows the small-group rule (intranet.feedback_suppression, INTRANET_REPORT_MIN_GROUP): a group is
the period's feedback on one topic (named and anonymous together, as the feedback report counts them), and
only groups of at least the minimum are read at all, so nothing said in a group under it is counted or quoted.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Count, QuerySet, Value
from django.db.models.functions import MD5, Cast, Concat

from intranet.feedback_selectors import min_group
from intranet.models import Feedback, Idea, IdeaComment, Post, PostComment


@dataclass
class InternalSample:
    total: int  # documents in the period (feedback: in groups of the minimum or more)
    rows: list[str]  # the texts of all of them or of the sample
    totals: dict[str, int] = field(default_factory=dict)  # per kind

    @property
    def sampled(self) -> bool:
        return len(self.rows) < self.total


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def feedback_in_groups(*, start: datetime, end: datetime) -> QuerySet[Feedback]:
    """The period's feedback whose topic had at least the minimum of responses in it (the days of `start`
    and `end` in the organisation's zone; `end` excluded)."""
    rows = Feedback.objects.filter(created_on__gte=_local_day(start), created_on__lt=_local_day(end))
    big = [
        topic
        for topic, n in rows.values_list("topic").annotate(n=Count("pk")).order_by().values_list("topic", "n")
        if n >= min_group()
    ]
    return rows.filter(topic__in=big)


def _sources(start: datetime, end: datetime) -> dict[str, QuerySet]:
    """Each kind's rows of the period, annotated with `doc` (its text)."""
    period = {"created_at__gte": start, "created_at__lt": end}
    return {
        "posts": Post.objects.filter(hidden_at__isnull=True, **period).annotate(doc=Cast("text", CharField())),
        "post_comments": PostComment.objects.filter(
            hidden_at__isnull=True, post__hidden_at__isnull=True, **period
        ).annotate(doc=Cast("text", CharField())),
        "ideas": Idea.objects.filter(**period).annotate(
            doc=Concat("title", Value(". "), "description", output_field=CharField())
        ),
        "idea_comments": IdeaComment.objects.filter(hidden_at__isnull=True, **period).annotate(
            doc=Cast("text", CharField())
        ),
        "feedback": feedback_in_groups(start=start, end=end).annotate(doc=Cast("text", CharField())),
    }


def internal_texts(*, start: datetime, end: datetime, limit: int) -> InternalSample:
    """The period's internal documents' texts: all of them up to `limit`, else a fixed sample (module)."""
    sources = _sources(start, end)
    totals = {name: rows.count() for name, rows in sources.items()}
    total = sum(totals.values())
    texts: list[str] = []
    for name, rows in sources.items():
        if not totals[name]:
            continue
        rows = rows.order_by()
        if total > limit:
            share = round(limit * totals[name] / total)
            rows = rows.annotate(sample_key=MD5(Cast("pk", CharField()))).order_by("sample_key", "pk")[:share]
        else:
            rows = rows.order_by("pk")
        texts.extend(rows.values_list("doc", flat=True))
    return InternalSample(total=total, rows=texts, totals=totals)
