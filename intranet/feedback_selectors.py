"""Reads for workplace feedback, suggestions and the eNPS pulse: who may answer and read reports, the
lists, the feedback report and the pulse trend, both with small groups hidden (intranet.feedback_suppression).

Quarters are the organisation's (settings.TIME_ZONE), like the dashboard's: "2026-Q4" is October to
December there. Reports read whole quarters only, never a range of days inside one, so that two reports
cannot be subtracted to reveal what a few people said between their ends; and the pulse shows a quarter
only once it is over, so that watching it change day by day reveals no one's answer.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from accounts.models import Department
from accounts.roles import has_permission
from intranet.feedback_suppression import suppress_small_groups
from intranet.models import Feedback, PulseParticipation, PulseResponse

MODERATE = "intranet.moderate_intranet"
NOT_STATED = "Not stated"


# --- Days and quarters in the organisation's time zone ------------------------------------------


def org_today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of "YYYY-Qn"."""
    year, number = int(quarter[:4]), int(quarter[-1])
    start = date(year, 3 * number - 2, 1)
    end = date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1) - timedelta(days=1)
    return start, end


def quarters_between(start: date, end: date) -> list[str]:
    """Every quarter that overlaps `start`–`end` (both included), oldest first."""
    quarters, day = [], date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while day <= end:
        quarters.append(quarter_of(day))
        day = quarter_bounds(quarter_of(day))[1] + timedelta(days=1)
    return quarters


def min_group() -> int:
    return settings.INTRANET_REPORT_MIN_GROUP


# --- Who may do what ------------------------------------------------------------------------------


def feedback_may_answer(*, user) -> bool:
    """Answer suggestions publicly and read all feedback: the Customer Advisory Council (for now the
    `intranet.moderate_intranet` permission), staff (Django's is_staff) and admins."""
    return bool(user and user.is_authenticated) and (user.is_staff or has_permission(user, MODERATE))


def feedback_may_report(*, user) -> bool:
    """Read the feedback report (counts with small groups hidden): the same people as feedback_may_answer."""
    return feedback_may_answer(user=user)


# --- Lists ------------------------------------------------------------------------------------------


def suggestions_list(*, answered: str = "") -> QuerySet[Feedback]:
    """Suggestions, newest day first; within a day by their random key (never in the order they came)."""
    rows = Feedback.objects.filter(kind=Feedback.Kind.SUGGESTION).select_related("author", "department", "answered_by")
    if answered == "yes":
        rows = rows.exclude(answer="")
    elif answered == "no":
        rows = rows.filter(answer="")
    return rows.order_by("-created_on", "id")


def feedback_of(*, user) -> QuerySet[Feedback]:
    """What `user` gave with their name (anonymous feedback is nobody's: it never shows here)."""
    return (
        Feedback.objects.filter(author_id=user.pk, anonymous=False)
        .select_related("department", "answered_by")
        .order_by("-created_on", "id")
    )


def feedback_all(*, kind: str = "", topic: str = "") -> QuerySet[Feedback]:
    """Every piece of feedback and every suggestion, for the people who answer them."""
    rows = Feedback.objects.select_related("author", "department", "answered_by")
    if kind:
        rows = rows.filter(kind=kind)
    if topic:
        rows = rows.filter(topic=topic)
    return rows.order_by("-created_on", "id")


# --- The feedback report ------------------------------------------------------------------------------


@dataclass
class ReportRow:
    label: str
    count: int | None  # None: hidden (a group under the limit, or one that would give such a group away)


@dataclass
class FeedbackReport:
    year: int
    min_group: int
    total: int | None
    by: dict[str, list[ReportRow]] = field(default_factory=dict)


def feedback_report(*, year: int, today: date | None = None) -> FeedbackReport:
    """Feedback and suggestions of one calendar year, counted by kind, topic, department and quarter.

    A year, never a range of days: reports for two different ranges could be subtracted. Quarters after
    `today`'s are left out (everyone knows they are empty, so they hide nothing). Named and anonymous
    feedback are counted together and every count follows the small-group rule.
    """
    today = today or org_today()
    start, end = date(year, 1, 1), date(year, 12, 31)
    # One grouped query, so that every partition counts the very same rows (whatever is written meanwhile).
    groups = (
        Feedback.objects.filter(created_on__range=(start, end))
        .values_list("kind", "topic", "department", "created_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kinds, topics, departments = Counter(), Counter(), Counter()
    by_quarter = Counter(dict.fromkeys((q for q in quarters_between(start, end) if quarter_bounds(q)[0] <= today), 0))
    for kind, topic, department, day, n in groups:
        kinds[kind] += n
        topics[topic] += n
        departments[department] += n
        by_quarter[quarter_of(day)] += n
    total = sum(kinds.values())
    names = dict(Department.objects.values_list("pk", "name"))
    department_keys = sorted(set(names) | (set(departments) - {None}), key=lambda pk: (names.get(pk, ""), pk))
    partitions = {
        "kind": _cells(Feedback.Kind.values, kinds),
        "topic": _cells(Feedback.Topic.values, topics),
        "department": {pk: departments[pk] for pk in department_keys} | {None: departments[None]},
        "quarter": dict(sorted(by_quarter.items())),
    }
    shown = suppress_small_groups(total, partitions, min_group=min_group())
    labels = {
        "kind": {value: value for value in kinds} | dict(Feedback.Kind.choices),
        "topic": {value: value for value in topics} | dict(Feedback.Topic.choices),
        "department": {pk: names.get(pk, "A department gone since") for pk in departments} | names | {None: NOT_STATED},
        "quarter": {q: q for q in by_quarter},
    }
    return FeedbackReport(
        year=year,
        min_group=min_group(),
        total=shown.total,
        by={
            name: [ReportRow(labels[name][key], count) for key, count in cells.items()]
            for name, cells in shown.partitions.items()
        },
    )


def _cells(values, counts: Counter) -> dict:
    """Every choice, in order, with its count; and any other value found (an old choice), so none is lost."""
    return {value: counts[value] for value in [*values, *sorted(set(counts) - set(values))]}


# --- The eNPS pulse ---------------------------------------------------------------------------------

PULSE_QUESTION = "How likely are you to recommend Carl's Soda as a place to work?"


def pulse_answered(*, user, quarter: str) -> bool:
    return PulseParticipation.objects.filter(user_id=user.pk, quarter=quarter).exists()


@dataclass
class PulseGroup:
    """One group's answers: a quarter's (department None and label "All") or a department's in it.
    Hidden groups carry `responses` None and nothing else."""

    label: str
    responses: int | None
    slug: str | None = None  # the department's; None for a quarter's total and for "not stated"
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None

    @property
    def enps(self) -> int | None:
        """% promoters (9–10) − % detractors (0–6), rounded; None when hidden."""
        if not self.responses:
            return None
        return round(100 * (self.promoters - self.detractors) / self.responses)


@dataclass
class PulseQuarter:
    quarter: str
    overall: PulseGroup
    departments: list[PulseGroup]


def _score_counts():
    return {
        "responses": Count("pk"),
        "promoters": Count("pk", filter=Q(score__gte=9)),
        "passives": Count("pk", filter=Q(score__in=(7, 8))),
        "detractors": Count("pk", filter=Q(score__lte=6)),
    }


def pulse_trend(*, start: date, end: date, today: date | None = None) -> list[PulseQuarter]:
    """The eNPS of every quarter overlapping `start`–`end` that is over by `today`, whole, oldest first:
    the company's and each department's (as the people answering chose to say it), small groups hidden.

    Within a quarter the departments (and "not stated") partition its answers, so the quarter's total
    and its departments go through suppress_small_groups together; quarters share nothing shown."""
    today = today or org_today()
    current = quarter_of(today)
    quarters = [q for q in quarters_between(start, end) if q < current]
    if not quarters:
        return []
    cells = {
        (row["quarter"], row["department"]): row
        for row in PulseResponse.objects.filter(quarter__in=quarters)
        .values("quarter", "department")
        .annotate(**_score_counts())
        .order_by()
    }
    departments = {pk: (name, slug) for pk, name, slug in Department.objects.values_list("pk", "name", "slug")}
    gone = {pk for _, pk in cells if pk is not None and pk not in departments}  # deleted meanwhile
    keys = [*departments, *sorted(gone), None]
    labels = departments | dict.fromkeys(gone, ("A department gone since", None)) | {None: (NOT_STATED, None)}
    trend = []
    for quarter in quarters:
        rows = {key: cells.get((quarter, key)) for key in keys}
        overall = {
            name: sum(row[name] for row in rows.values() if row)
            for name in ("responses", "promoters", "passives", "detractors")
        }
        partition = {key: row["responses"] if row else 0 for key, row in rows.items()}
        shown = suppress_small_groups(overall["responses"], {"department": partition}, min_group=min_group())
        trend.append(
            PulseQuarter(
                quarter=quarter,
                overall=_group(("All", None), overall, shown.total),
                departments=[_group(labels[key], rows[key], shown.cell("department", key)) for key in keys],
            )
        )
    return trend


def _group(label: tuple[str, str | None], row: dict | None, shown: int | None) -> PulseGroup:
    name, slug = label
    if shown is None or row is None:
        return PulseGroup(name, None, slug)
    return PulseGroup(name, row["responses"], slug, row["promoters"], row["passives"], row["detractors"])


def pulse_led_slugs(*, user) -> set[str]:
    """The departments `user` leads: a lead sees their departments' rows of the pulse trend (the same
    numbers as the report, small groups hidden alike), nothing more."""
    return set(Department.objects.filter(lead_id=user.pk).values_list("slug", flat=True))


def pulse_comments(*, quarter: str, today: date | None = None) -> list[str]:
    """The comments of a quarter that is over and had at least the minimum of answers, with no score,
    department or day beside them, in the order of their random keys."""
    if quarter >= quarter_of(today or org_today()):
        return []
    if PulseResponse.objects.filter(quarter=quarter).count() < min_group():
        return []
    return list(
        PulseResponse.objects.filter(quarter=quarter)
        .exclude(comment="")
        .order_by("id")
        .values_list("comment", flat=True)
    )


def feedback_topics_of_quarter(*, quarter: str, today: date | None = None) -> dict:
    """Feedback and suggestions of one whole quarter that is over, counted by topic, small groups hidden
    (and whatever would give them away): `{"over": bool, "min_group", "total", "topics": [{"topic", "label",
    "count"}]}`, a hidden count None. A quarter not over yet shows nothing (watching it change would)."""
    today = today or org_today()
    if quarter >= quarter_of(today):
        return {"over": False, "min_group": min_group(), "total": None, "topics": []}
    start, end = quarter_bounds(quarter)
    counts = Counter(
        dict(
            Feedback.objects.filter(created_on__range=(start, end))
            .values_list("topic")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    cells = _cells(Feedback.Topic.values, counts)
    shown = suppress_small_groups(sum(cells.values()), {"topic": cells}, min_group=min_group())
    labels = dict(Feedback.Topic.choices)
    return {
        "over": True,
        "min_group": min_group(),
        "total": shown.total,
        "topics": [
            {"topic": key, "label": labels.get(key, key), "count": count}
            for key, count in shown.partitions["topic"].items()
        ],
    }
