"""Findings for the boards, the department pages, the API and (later) the councils' quarterly reports."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from accounts.models import Department, DepartmentMembership, User
from accounts.roles import Role, has_role
from core.charts import ColumnChart
from insights.models import Finding, Sentiment
from insights.selectors.rollups import HOURLY_MAX_DAYS, SeriesRequest, rollup_series

PRIORITY_ORDER = Case(
    When(priority=Finding.Priority.URGENT, then=Value(0)),
    When(priority=Finding.Priority.HIGH, then=Value(1)),
    When(priority=Finding.Priority.NORMAL, then=Value(2)),
    default=Value(3),
)


def today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def _with_overdue(findings: QuerySet[Finding], *, on: date | None = None) -> QuerySet[Finding]:
    """`is_overdue`: past its due date and neither done nor declined."""
    return findings.annotate(
        is_overdue=Case(
            When(Q(due__lt=on or today()) & ~Q(status__in=Finding.CLOSED), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def findings_visible_to(*, user) -> QuerySet[Finding]:
    """What `user` may open: insights staff (and admins) every finding; anyone else the findings routed
    to a department they belong to. An API key (no person) that reached here holds findings:read: all."""
    findings = Finding.objects.all()
    if isinstance(user, User) and not has_role(user, Role.INSIGHTS_STAFF):
        mine = DepartmentMembership.objects.filter(user=user, department__findings=OuterRef("pk"))
        findings = findings.filter(Exists(mine))
    return findings


def finding_may_act(*, user, finding: Finding) -> bool:
    """Whether `user` may acknowledge, reply to or move `finding`: insights staff, and members of a
    department it is routed to (not of other departments)."""
    if has_role(user, Role.INSIGHTS_STAFF):
        return True
    return DepartmentMembership.objects.filter(user=user, department__findings=finding).exists()


def findings_board(
    *,
    findings: QuerySet[Finding] | None = None,
    department: Department | None = None,
    status: str = "",
    priority: str = "",
    overdue: bool = False,
    on: date | None = None,
) -> QuerySet[Finding]:
    """Findings for a board, open ones first, then by priority and due date; each with `is_overdue`
    and its departments (no query per row)."""
    qs = Finding.objects.all() if findings is None else findings
    if department is not None:
        qs = qs.filter(departments=department)
    if status:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    qs = _with_overdue(qs, on=on)
    if overdue:
        qs = qs.filter(is_overdue=True)
    closed_last = Case(When(status__in=Finding.CLOSED, then=Value(1)), default=Value(0))
    return (
        qs.prefetch_related("departments")
        .annotate(closed_last=closed_last, priority_rank=PRIORITY_ORDER)
        .order_by("closed_last", "priority_rank", "due", "-created_at", "-id")
    )


def findings_board_counts(findings: QuerySet[Finding]) -> dict[str, int]:
    """`{status: count}` over every status, plus "overdue"."""
    counts = dict.fromkeys(Finding.Status.values, 0)
    counts |= dict(findings.order_by().values_list("status").annotate(n=Count("pk")))
    counts["overdue"] = findings.filter(due__lt=today()).exclude(status__in=Finding.CLOSED).count()
    return counts


def finding_detail(*, findings: QuerySet[Finding], pk: int) -> Finding | None:
    """One finding of `findings` with what its page shows, or None."""
    return (
        _with_overdue(findings)
        .select_related("created_by", "chart_term")
        .prefetch_related("departments")
        .filter(pk=pk)
        .first()
    )


def finding_timeline(*, finding: Finding) -> QuerySet:
    return finding.events.select_related("by")


def finding_mentions(*, finding: Finding) -> QuerySet:
    return (
        finding.mentions.select_related("channel", "sentiment_set_by")
        .prefetch_related("terms")
        .order_by("-published_at", "-id")
    )


def finding_chart(*, finding: Finding) -> dict | None:
    """The evidence chart, read from rollups: mentions of the finding's term per day (per week over a
    quarter), stacked by sentiment, with the rows of its table alternative. None without a chart."""
    if finding.chart_term is None or finding.chart_start is None:
        return None
    days = (finding.chart_end - finding.chart_start).days + 1
    bucket = "day" if days <= HOURLY_MAX_DAYS else "week"
    series = rollup_series(
        SeriesRequest(
            bucket=bucket,
            group_by="term",
            start=finding.chart_start,
            end=finding.chart_end,
            tz=settings.TIME_ZONE,
            term=finding.chart_term.name,
        )
    )
    points = series["series"][0]["points"] if series["series"] else []
    labels = [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE, Sentiment.UNSCORED]
    data = [
        {"name": label.label, "data": {point["start"][:10]: point[label.value] for point in points}} for label in labels
    ]
    chart = ColumnChart(
        data,
        stacked=True,
        height="240px",
        colors=["#198754", "#6c757d", "#dc3545", "#adb5bd"],
        library={"animation": False},
    )
    rows = [
        {
            "start": point["start"][:10],
            "count": point["count"],
            "positive": point["positive"],
            "neutral": point["neutral"],
            "negative": point["negative"],
        }
        for point in points
    ]
    return {"chart": chart, "rows": rows, "bucket": bucket, "total": sum(row["count"] for row in rows)}


def findings_in_quarter(*, start: date, end: date) -> list[dict]:
    """The findings written from `start` to `end` (inclusive, days in TIME_ZONE) with their status now,
    oldest first: what the councils' quarterly reports list."""
    zone = ZoneInfo(settings.TIME_ZONE)
    findings = (
        _with_overdue(
            Finding.objects.filter(
                created_at__gte=datetime.combine(start, time(), zone),
                created_at__lt=datetime.combine(end + timedelta(days=1), time(), zone),
            )
        )
        .prefetch_related("departments")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": finding.pk,
            "title": finding.title,
            "status": finding.status,
            "priority": finding.priority,
            "departments": [department.slug for department in finding.departments.all()],
            "due": finding.due,
            "overdue": finding.is_overdue,
            "created_at": finding.created_at,
        }
        for finding in findings
    ]


def findings_open_count() -> int:
    """Findings not done or declined yet (the staff dashboard's tile)."""
    return Finding.objects.exclude(status__in=Finding.CLOSED).count()
