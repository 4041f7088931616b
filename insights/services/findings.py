"""Findings: staff write them for departments; department members acknowledge, reply and move them.

The workflow: new → acknowledged → in progress → done, and declined (with a reason) from any open
status. Back: insights staff may reopen a done or declined finding (it returns to acknowledged).
Every change locks the finding's row first, so two concurrent changes never both apply: the second
sees the first's status and is refused if its move no longer makes sense.

`by` is the person acting, or None for an integration (an API key whose scope the API checked);
`via` then names the key, for the timeline.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Department, User
from accounts.roles import Role, has_role
from accounts.services import notify
from core.exceptions import ApplicationError
from insights.models import Finding, FindingEvent, Mention, TrackedTerm
from insights.selectors.findings import finding_may_act

MAX_MENTIONS = 500
Status = Finding.Status

# status -> the statuses a department member (or staff) may move it to; declining needs a reason.
MOVES = {
    Status.NEW: {Status.ACKNOWLEDGED, Status.DECLINED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.DECLINED},
    Status.IN_PROGRESS: {Status.DONE, Status.DECLINED},
    Status.DONE: set(),
    Status.DECLINED: set(),
}
# …and back: insights staff reopen a closed finding.
REOPEN_TO = Status.ACKNOWLEDGED


class FindingNotAllowed(ApplicationError):
    status_code = 403
    code = "permission_denied"


class FindingTransitionRefused(ApplicationError):
    status_code = 409
    code = "invalid_transition"


class FindingReasonRequired(ApplicationError):
    code = "reason_required"


def _is_staff(by: User | None) -> bool:
    return by is None or has_role(by, Role.INSIGHTS_STAFF)


def _check_staff(by: User | None) -> None:
    if not _is_staff(by):
        raise FindingNotAllowed("Only the Customer Insights Team writes and edits findings.")


def _resolve(*, departments, mentions, chart_term, chart_start, chart_end) -> dict:
    """Department slugs and mention ids as rows; a ValidationError naming every bad item."""
    errors: dict[str, list[str]] = {}
    slugs = list(dict.fromkeys(departments or []))
    found = {d.slug: d for d in Department.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        errors["departments"] = [f"Unknown department(s): {', '.join(map(str, unknown))}."]
    elif not slugs:
        errors["departments"] = ["Route the finding to at least one department."]
    ids = list(dict.fromkeys(mentions or []))
    if len(ids) > MAX_MENTIONS:
        errors["mentions"] = [f"At most {MAX_MENTIONS} mentions per finding (got {len(ids)})."]
        ids = []
    known = set(Mention.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in known]
    if missing:
        errors["mentions"] = [f"Unknown mention id(s): {', '.join(map(str, missing))}."]
    if chart_term is not None or chart_start or chart_end:
        if chart_term is None or not chart_start or not chart_end:
            errors["chart_term"] = ["A chart needs a tracked term, a start date and an end date."]
        elif chart_end < chart_start:
            errors["chart_end"] = ["The chart's end is before its start."]
        elif (chart_end - chart_start).days > 3660:
            errors["chart_end"] = ["A chart covers at most ten years."]
    if errors:
        raise ValidationError(errors)
    return {"departments": [found[slug] for slug in slugs], "mention_ids": ids}


def _event(finding: Finding, kind: str, *, by, via: str, text: str = "", from_status: str = "", to_status: str = ""):
    return FindingEvent.objects.create(
        finding=finding, kind=kind, by=by, via=via, text=text, from_status=from_status, to_status=to_status
    )


def _notify_departments(finding: Finding, departments) -> None:
    """Members (the lead is one) of these departments: in the app, and by email after commit."""
    people = User.objects.filter(department_memberships__department__in=departments, is_active=True).distinct()
    names = ", ".join(d.name for d in departments)
    notify(
        users=list(people),
        text=f"New finding for {names}: {finding.title}"[:300],
        url=reverse("insights:finding_detail", args=[finding.pk]),
        email=True,
    )


def finding_create(
    *,
    title: str,
    summary: str,
    recommended_action: str,
    departments: list[str],
    priority: str = Finding.Priority.NORMAL,
    due: date | None = None,
    mentions: list[int] = (),
    chart_term: TrackedTerm | None = None,
    chart_start: date | None = None,
    chart_end: date | None = None,
    by: User | None,
    via: str = "",
    idempotency_key: str | None = None,
    notify_departments: bool = True,
) -> tuple[Finding, bool]:
    """Write a finding and route it: its departments' members are notified (unless `notify_departments`
    is false: the demo). Returns (finding, created).

    With `idempotency_key` (unique per caller), a retry finds the finding made the first time."""
    _check_staff(by)
    if idempotency_key:
        existing = Finding.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    resolved = _resolve(
        departments=departments, mentions=mentions, chart_term=chart_term, chart_start=chart_start, chart_end=chart_end
    )
    finding = Finding(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        recommended_action=(recommended_action or "").strip(),
        priority=priority,
        due=due,
        chart_term=chart_term,
        chart_start=chart_start,
        chart_end=chart_end,
        created_by=by,
        idempotency_key=idempotency_key or None,
    )
    finding.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            finding.save()
            finding.departments.set(resolved["departments"])
            finding.mentions.set(resolved["mention_ids"])
            _event(finding, FindingEvent.Kind.CREATED, by=by, via=via)
            if notify_departments:
                _notify_departments(finding, resolved["departments"])
    except IntegrityError:
        if not idempotency_key:
            raise
        return Finding.objects.get(idempotency_key=idempotency_key), False  # a concurrent retry won
    return finding, True


EDITABLE = ("title", "summary", "recommended_action", "priority", "due", "chart_term", "chart_start", "chart_end")


def finding_update(*, finding: Finding, by: User | None, via: str = "", **changes) -> Finding:
    """Staff edit a finding's content, departments or evidence. Departments added are notified; the
    timeline records which fields changed."""
    _check_staff(by)
    unknown = set(changes) - {*EDITABLE, "departments", "mentions"}
    if unknown:
        raise ValidationError(f"Cannot change: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        current_departments = list(locked.departments.all())
        resolved = _resolve(
            departments=changes.get("departments", [d.slug for d in current_departments]),
            mentions=changes.get("mentions", []),
            chart_term=changes.get("chart_term", locked.chart_term),
            chart_start=changes.get("chart_start", locked.chart_start),
            chart_end=changes.get("chart_end", locked.chart_end),
        )
        changed = []
        for field in EDITABLE:
            if field in changes:
                value = changes[field]
                if isinstance(value, str):
                    value = value.strip()
                if getattr(locked, field) != value:
                    setattr(locked, field, value)
                    changed.append(Finding._meta.get_field(field).verbose_name)
        locked.full_clean(exclude=["idempotency_key"])
        locked.save()
        added = []
        if "departments" in changes:
            added = [d for d in resolved["departments"] if d not in current_departments]
            if set(resolved["departments"]) != set(current_departments):
                locked.departments.set(resolved["departments"])
                changed.append("departments")
        if "mentions" in changes:
            before = set(locked.mentions.values_list("pk", flat=True))
            if before != set(resolved["mention_ids"]):
                locked.mentions.set(resolved["mention_ids"])
                changed.append("mentions")
        if changed:
            _event(locked, FindingEvent.Kind.EDITED, by=by, via=via, text="Changed " + ", ".join(changed) + ".")
        if added:
            _notify_departments(locked, added)
    return locked


def finding_status_set(*, finding: Finding, status: str, by: User | None, via: str = "", reason: str = "") -> Finding:
    """Move a finding along its workflow (see MOVES); declining needs a reason; staff may reopen a
    closed one. Insights staff and members of its departments may; others are refused."""
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status “{status}”: one of {', '.join(Status.values)}."})
    reason = (reason or "").strip()
    if status == Status.DECLINED and not reason:
        raise FindingReasonRequired("Say why the finding is declined: a reason is required.")
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if by is not None and not finding_may_act(user=by, finding=locked):
            raise FindingNotAllowed("Only insights staff and the departments it is routed to may change this finding.")
        current = locked.status
        if status == current:
            raise FindingTransitionRefused(f"The finding is {locked.get_status_display().lower()} already.")
        reopening = current in Finding.CLOSED and status == REOPEN_TO
        if reopening:
            if not _is_staff(by):
                raise FindingNotAllowed("Only the Customer Insights Team reopens a closed finding.")
        elif status not in MOVES[current]:
            allowed = ", ".join(Status(s).label.lower() for s in sorted(MOVES[current])) or "nothing (it is closed)"
            raise FindingTransitionRefused(
                f"A finding that is {locked.get_status_display().lower()} can move to {allowed}, "
                f"not to {Status(status).label.lower()}."
            )
        locked.status = status
        locked.decline_reason = reason if status == Status.DECLINED else locked.decline_reason
        locked.save(update_fields=["status", "decline_reason", "updated_at"])
        kind = {
            Status.ACKNOWLEDGED: FindingEvent.Kind.ACKNOWLEDGED,
            Status.DECLINED: FindingEvent.Kind.DECLINED,
        }.get(status, FindingEvent.Kind.STATUS)
        if reopening:
            kind = FindingEvent.Kind.REOPENED
        _event(locked, kind, by=by, via=via, from_status=current, to_status=status, text=reason)
    return locked


def finding_acknowledge(*, finding: Finding, by: User | None, via: str = "") -> Finding:
    """A department member (or staff) takes note of a new finding."""
    return finding_status_set(finding=finding, status=Status.ACKNOWLEDGED, by=by, via=via)


def finding_reply(*, finding: Finding, text: str, by: User | None, via: str = "") -> FindingEvent:
    """A department member (or staff) says what they will do; it joins the timeline."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write what you will do."})
    if len(text) > 5_000:
        raise ValidationError({"text": "At most 5,000 characters."})
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if by is not None and not finding_may_act(user=by, finding=locked):
            raise FindingNotAllowed("Only insights staff and the departments it is routed to may reply.")
        locked.save(update_fields=["updated_at"])
        return _event(locked, FindingEvent.Kind.REPLIED, by=by, via=via, text=text)
