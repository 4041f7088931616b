from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.decorators import role_required
from accounts.roles import Role
from advocacy.selectors.program import waitlist_entry_of
from core.charts import ColumnChart
from dashboard.navigation import home_url_name
from dashboard.selectors import mention_trend, staff_kpis


@login_required
def home(request):
    """Any signed-in user: sends each role to its own home (each app declares its roles' homes)."""
    url_name = home_url_name(request.user)
    if url_name:
        return redirect(url_name)
    if waitlist_entry_of(request.user):
        return redirect("advocacy:waitlist")  # accepted an invitation when the program was full
    return render(request, "dashboard/no_role.html")


@role_required(Role.INSIGHTS_STAFF, Role.EXECUTIVE)
def staff(request):
    """Insights staff, and executives read-only: the KPI dashboard."""
    trend = mention_trend(days=90)
    chart = ColumnChart(
        trend,
        stacked=True,
        height="280px",
        colors=["#198754", "#6c757d", "#dc3545", "#adb5bd"],  # positive, neutral, negative, unscored
        library={"animation": False},
    )
    total = sum(sum(s["data"].values()) for s in trend)
    return render(request, "dashboard/staff.html", {"kpis": staff_kpis(), "chart": chart, "trend_total": total})
