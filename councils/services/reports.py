"""Writes of the quarterly reports: the council's notes, and publishing (which freezes the figures).

Who: notes by the council's members and its managers; publishing by managers and the council's chair.
A report is published once, for a quarter that is over: its figures are computed inside the lock and
stored in `data`, after which nothing that changes in the other apps moves them.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone

from councils.access import can_manage, is_member
from councils.models import Council, Report, Term
from councils.quarters import Quarter
from councils.selectors.reports import report_compute


def report_may_annotate(*, user, council: Council) -> bool:
    return can_manage(user) or is_member(user, council)


def report_may_publish(*, user, council: Council) -> bool:
    """Managers, and the council's chair (a current term with is_chair)."""
    if can_manage(user):
        return True
    if not (user and user.is_authenticated):
        return False
    return Term.objects.filter(council=council, user=user, is_chair=True, vacated_at__isnull=True).exists()


def _locked_report(*, council: Council, quarter: Quarter) -> Report:
    """The report row, created as a draft when missing, with the council row locked (one writer at a time)."""
    Council.objects.select_for_update().get(pk=council.pk)
    report, _ = Report.objects.get_or_create(council=council, quarter=str(quarter))
    return Report.objects.select_for_update().get(pk=report.pk)


def _check_begun(quarter: Quarter) -> None:
    if not quarter.has_begun():
        raise ValidationError(f"{quarter} has not begun: there is no report for it yet.")


def _already_published(report: Report) -> ValidationError:
    when = formats.date_format(timezone.localtime(report.published_at), "DATETIME_FORMAT")
    return ValidationError(f"The {report.quarter} report was already published on {when}: it cannot change.")


def report_notes_save(*, council: Council, quarter: Quarter, notes: str, by) -> Report:
    """Save the council's notes on a draft report (creating the draft on the first save)."""
    if not report_may_annotate(user=by, council=council):
        raise PermissionDenied
    _check_begun(quarter)
    with transaction.atomic():
        report = _locked_report(council=council, quarter=quarter)
        if report.status == Report.Status.PUBLISHED:
            raise _already_published(report)
        report.notes = notes.replace("\r\n", "\n").strip()
        report.full_clean()
        report.save(update_fields=["notes", "updated_at"])
    return report


def report_publish(*, council: Council, quarter: Quarter, by) -> Report:
    """Compute the report, store it and mark it published. Twice: a clear error and nothing changes;
    concurrent publishes: the council row's lock makes one win, the others get "already published"."""
    if not report_may_publish(user=by, council=council):
        raise PermissionDenied
    _check_begun(quarter)
    if quarter.in_progress():
        last_day = formats.date_format(quarter.end - timedelta(days=1), "DATE_FORMAT")
        raise ValidationError(
            f"{quarter} is still in progress (it ends on {last_day}): publish its report once the quarter is over."
        )
    with transaction.atomic():
        report = _locked_report(council=council, quarter=quarter)
        if report.status == Report.Status.PUBLISHED:
            raise _already_published(report)
        now = timezone.now()
        data = report_compute(council=council, quarter=quarter, now=now)
        data["status"] = Report.Status.PUBLISHED.value
        data["published_at"] = now.isoformat()
        report.data = data
        report.status = Report.Status.PUBLISHED
        report.published_at = now
        report.published_by = by
        report.full_clean()
        report.save()
    return report
