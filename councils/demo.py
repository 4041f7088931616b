"""Demo data of the councils: each part adds its `demo_<part>_seed()` here (idempotent, invented people)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from councils.models import Council, Report
from councils.quarters import Quarter
from councils.services.reports import report_notes_save, report_publish

DEMO_PUBLISHER = "ada.admin@carlssoda.example"  # accounts.demo: the demo's admin, who manages the councils
DEMO_REPORT_NOTES = {
    Council.Kind.BRAND: "The can redesign dominated the quarter. We asked the insights team for a follow-up on "
    "the negative themes and the program team for more stories from new ambassadors.",
    Council.Kind.CUSTOMER: "Ideas moved faster than last quarter. We want the feedback themes shared with the "
    "executives before the next meeting.",
}


def demo_reports_seed() -> dict[str, int]:
    """Both councils' reports for the two quarters before this one, with notes, published (computed from
    the demo data of those quarters: the demo's mentions cover the last 395 days). Again: changes nothing."""
    publisher = get_user_model().objects.filter(email=DEMO_PUBLISHER).first()
    if publisher is None:
        return {"council_reports": 0}
    published = 0
    current = Quarter.of(timezone.now())
    for council in Council.objects.all():
        for quarter in (current.previous.previous, current.previous):
            row = Report.objects.filter(council=council, quarter=str(quarter)).first()
            if row is not None and row.status == Report.Status.PUBLISHED:
                continue
            if row is None or not row.notes:
                report_notes_save(council=council, quarter=quarter, notes=DEMO_REPORT_NOTES[council.kind], by=publisher)
            report_publish(council=council, quarter=quarter, by=publisher)
            published += 1
    return {"council_reports": published}
