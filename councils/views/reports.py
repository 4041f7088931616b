"""The quarterly report pages: the index, one council's report per quarter (notes, publish), and its PDF.

Guards: the index is for executives, council members and managers; a report is for whoever
councils.access.can_read_reports allows (its council's members, managers, executives); notes for its
members and managers, publishing for managers and the chair (councils.services.reports).
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from councils.access import can_manage, can_read_reports
from councils.charts import bar_chart, line_chart
from councils.models import TEXT_MAX, Council, Report
from councils.selectors.reports import (
    ReportNotFound,
    report_council,
    report_for,
    report_quarter,
    report_row,
    reports_of,
)
from councils.services.reports import report_may_annotate, report_may_publish, report_notes_save, report_publish

PDF_CACHE_SECONDS = 7 * 24 * 3600  # a published report's PDF never changes: the key names its publication


def _missing(request, exc: ReportNotFound) -> HttpResponse:
    return render(request, "councils/report_missing.html", {"message": exc.message}, status=404)


def _open(request, council: str, quarter: str):
    """(council, quarter) for a reader of its reports; ReportNotFound for a bad council or quarter."""
    found = report_council(council)
    if not can_read_reports(request.user, found):
        raise PermissionDenied
    return found, report_quarter(quarter)


@login_required
def reports(request):
    """Executives, council members and managers: each council's reports by quarter (those they may read)."""
    if not (can_manage(request.user) or has_role(request.user, Role.EXECUTIVE, Role.COUNCIL_MEMBER)):
        raise PermissionDenied
    councils = [
        {"council": council, "reports": reports_of(council=council)}
        for council in Council.objects.all()
        if can_read_reports(request.user, council)
    ]
    return render(request, "councils/reports.html", {"councils": councils})


reports.allowed_roles = (Role.EXECUTIVE, Role.COUNCIL_MEMBER)  # and holders of councils.manage_councils


@login_required
def report_detail(request, council: str, quarter: str):
    """The council's report for the quarter: the published figures, or a draft computed now."""
    try:
        found, period = _open(request, council, quarter)
    except ReportNotFound as exc:
        return _missing(request, exc)
    return _render(request, found, period)


def _render(request, council: Council, quarter, *, status: int = 200, error: str = "", notes: str | None = None):
    """The report page; after a refused form, with its message and what was typed (status 400 or 409)."""
    row = report_row(council=council, quarter=quarter)
    data = report_for(council=council, quarter=quarter)
    context = _context(data, row) | {
        "may_annotate": report_may_annotate(user=request.user, council=council),
        "may_publish": report_may_publish(user=request.user, council=council),
        "notes_max": TEXT_MAX,
        "error": error,
    }
    if notes is not None:
        context["notes"] = notes
    return render(request, "councils/report.html", context, status=status)


@require_POST
@login_required
def report_notes(request, council: str, quarter: str):
    """Members and managers save the council's notes (a draft report row is made on the first save)."""
    try:
        found, period = _open(request, council, quarter)
    except ReportNotFound as exc:
        return _missing(request, exc)
    notes = request.POST.get("notes", "")
    try:
        report_notes_save(council=found, quarter=period, notes=notes, by=request.user)
    except ValidationError as exc:
        text = notes.replace("\x00", "")  # shown again to be corrected; PostgreSQL and pages refuse NUL
        return _render(request, found, period, status=400, error=" ".join(exc.messages), notes=text)
    messages.success(request, "Notes saved.")
    return redirect(_url(found, period))


@require_POST
@login_required
def report_publish_view(request, council: str, quarter: str):
    """Managers and the council's chair publish the report: its figures are frozen from now on."""
    try:
        found, period = _open(request, council, quarter)
    except ReportNotFound as exc:
        return _missing(request, exc)
    try:
        report_publish(council=found, quarter=period, by=request.user)
    except ValidationError as exc:  # already published, or a quarter still in progress
        return _render(request, found, period, status=409, error=" ".join(exc.messages))
    messages.success(request, f"The {period} report is published: its figures will not change any more.")
    return redirect(_url(found, period))


@login_required
def report_pdf(request, council: str, quarter: str):
    """The report as a PDF with its charts (WeasyPrint, no network). A published one is rendered once and kept."""
    try:
        found, period = _open(request, council, quarter)
    except ReportNotFound as exc:
        return _missing(request, exc)
    row = report_row(council=found, quarter=period)
    published = row is not None and row.status == Report.Status.PUBLISHED
    key = f"councils:report-pdf:{row.pk}:{row.published_at.timestamp()}" if published else None
    pdf = cache.get(key) if key else None
    if pdf is None:
        try:
            from weasyprint import CSS, HTML
        except (ImportError, OSError):  # the library or its system libraries (pango) are missing here
            return HttpResponse(
                "The PDF cannot be made on this server (WeasyPrint or its system libraries are missing). "
                "Print the report page instead: it has a print layout.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        data = report_for(council=found, quarter=period)
        html = render_to_string("councils/report_pdf.html", _context(data, row), request=request)
        # The stylesheet is read from disk, never fetched over HTTP from this same server.
        stylesheet = CSS(filename=finders.find("councils/report_pdf.css"))
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
        if key:
            cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-{found.kind}-{period}.pdf"'
    return response


def _url(council: Council, quarter) -> str:
    return reverse("councils:report", kwargs={"council": council.kind, "quarter": str(quarter)})


# --- What the templates show -----------------------------------------------------------------------


INTRANET_FIGURES = {
    "posts": "Posts",
    "comments": "Comments",
    "reactions": "Reactions",
    "ideas": "Ideas",
    "votes": "Votes",
    "people_writing": "People writing",
}


def _context(data: dict, row: Report | None) -> dict:
    """The template's context. Stored reports come back from PostgreSQL's jsonb, which does not keep the order
    of keys: everything shown in a loop is put in order here."""
    s = data["sections"]
    return {
        "theme_sides": [
            ("Most positive", s.get("themes", {}).get("most_positive", [])),
            ("Most negative", s.get("themes", {}).get("most_negative", [])),
        ],
        "intranet_rows": [
            (name, s["intranet_activity"][key])
            for key, name in INTRANET_FIGURES.items()
            if key in s.get("intranet_activity", {})
        ],
        "idea_statuses": [
            (row["label"], row["count"])
            for row in s.get("ideas", {}).get("status_changes", {}).get("by_status", [])
            if row["count"]
        ],
        "r": data,
        "s": data["sections"],
        "gap": data["conversation_gap"],
        "row": row,
        "notes": row.notes if row else "",
        "council_name": dict(Council.Kind.choices)[data["council"]],
        "charts": report_charts(data),
    }


def _day(iso: str) -> str:
    day = parse_date(iso[:10])
    return formats.date_format(day, "MONTH_DAY_FORMAT") if isinstance(day, date) else iso


def report_charts(data: dict) -> dict:
    """The report's SVG charts, made from its JSON (so a published report's charts are frozen too)."""
    s, gap, charts = data["sections"], data["conversation_gap"], {}
    if "mentions" in s:
        weekly, before = s["mentions"]["weekly"], s["mentions"]["previous_weekly"]
        labels = [_day(w["week"]) for w in weekly]
        charts["volume"] = line_chart(
            labels,
            [
                (data["quarter"], [w["count"] for w in weekly]),
                (_previous(data["quarter"]), [w["count"] for w in before][: len(weekly)]),
            ],
            title="Mentions per week, this quarter against the previous one",
        )
        charts["sentiment"] = line_chart(
            labels,
            [
                (data["quarter"], [w["net_sentiment"] for w in weekly]),
                (_previous(data["quarter"]), [w["net_sentiment"] for w in before][: len(weekly)]),
            ],
            title="Net sentiment per week, this quarter against the previous one",
        )
        charts["share_of_voice"] = bar_chart(
            [(t["term"], t["share"], t.get("previous_share")) for t in s["share_of_voice"]["terms"]],
            title="Share of voice by tracked term",
            percent=True,
        )
    if "enps" in s:
        charts["enps"] = bar_chart(
            [(t["quarter"], t["enps"], None) for t in s["enps"]["trend"]], title="eNPS over the last four quarters"
        )
    if "intranet_activity" in s:
        charts["intranet"] = bar_chart(
            [
                (name.replace("_", " ").capitalize(), v["current"], v["previous"])
                for name, v in s["intranet_activity"].items()
            ],
            title="Intranet activity, this quarter against the previous one",
        )
    charts["overlap"] = bar_chart(
        [(t["quarter"], t["overlap"], None) for t in gap.get("trend", [])] or [(data["quarter"], gap["overlap"], None)],
        title="Overlap of the two conversations over the last four quarters",
        percent=True,
    )
    return charts


def _previous(quarter: str) -> str:
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


urlpatterns = [
    path("reports/", reports, name="reports"),
    path("councils/<slug:council>/reports/<str:quarter>/", report_detail, name="report"),
    path("councils/<slug:council>/reports/<str:quarter>/notes", report_notes, name="report_notes"),
    path("councils/<slug:council>/reports/<str:quarter>/publish", report_publish_view, name="report_publish"),
    path("councils/<slug:council>/reports/<str:quarter>/report.pdf", report_pdf, name="report_pdf"),
]
