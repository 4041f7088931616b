from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.decorators import role_required
from accounts.roles import Role, has_role
from advocacy.selectors.program import waitlist_entry_of
from core.charts import BarChart, ColumnChart, LineChart
from core.csv_safe import csv_stream
from dashboard.forms import DateRangeForm
from dashboard.navigation import home_url_name
from dashboard.selectors import CHARTS, RANGES, dashboard_chart, dashboard_charts, rollup_figures, staff_kpis

CHART_CLASSES = {"ColumnChart": ColumnChart, "LineChart": LineChart, "BarChart": BarChart}


@login_required
def home(request):
    """Any signed-in user: sends each role to its own home (each app declares its roles' homes)."""
    url_name = home_url_name(request.user)
    if url_name:
        return redirect(url_name)
    if waitlist_entry_of(request.user):
        return redirect("advocacy:waitlist")  # accepted an invitation when the program was full
    return render(request, "dashboard/no_role.html")


def _table_body(chart) -> str:
    """The rows of a chart's table alternative, cells linked to the inbox: built here rather than in the
    template, which takes several times longer over a year of days."""

    def cell(value, url) -> str:
        if value is None:
            return "<td>—</td>"
        return format_html('<td><a href="{}">{}</a></td>', url, value) if url else format_html("<td>{}</td>", value)

    return mark_safe(  # noqa: S308 — every piece above is escaped by format_html
        "\n".join(
            format_html('<tr><th scope="row">{}</th>', x) + "".join(cell(value, url) for value, url in cells) + "</tr>"
            for x, cells in chart.rows()
        )
    )


def _drawing(chart):
    """The chart itself (core.charts), its points linked as the table's cells are."""
    options = dict(chart.options)
    options["library"] = {"animation": False, **options.get("library", {})}
    return CHART_CLASSES[chart.kind](chart.chartkick_data(), links=chart.links, height=chart.height, **options)


@role_required(Role.INSIGHTS_STAFF, Role.EXECUTIVE)
def staff(request):
    """Insights staff, and executives read-only: KPI tiles and charts over the range picked (query string)."""
    form = DateRangeForm(request.GET)
    period = form.date_range()
    links = has_role(request.user, Role.INSIGHTS_STAFF)  # the inbox is theirs
    figures = rollup_figures(period)
    charts = [
        (
            chart,
            _drawing(chart),
            _table_body(chart),
        )
        for chart in dashboard_charts(period, figures, links=links)
    ]
    context = {
        "form": form,
        "period": period,
        "range_query": urlencode(period.query()),
        "presets": [(key, label, urlencode({"range": key})) for key, label in RANGES.items()],
        "kpis": staff_kpis(period, figures),
        "charts": charts,
    }
    return render(request, "dashboard/staff.html", context, status=200 if form.is_valid() else 400)


@role_required(Role.INSIGHTS_STAFF, Role.EXECUTIVE)
def export_chart(request, chart: str):
    """A chart's series as CSV, for the range of the query string (as on the dashboard)."""
    if chart not in CHARTS:
        raise Http404("No such chart.")
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
        return HttpResponseBadRequest(f"Bad range: {errors}", content_type="text/plain; charset=utf-8")
    period = form.date_range()
    rows = dashboard_chart(period, chart).csv_rows()
    response = HttpResponse("".join(csv_stream(rows)), content_type="text/csv; charset=utf-8")
    name = f"{chart}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
