"""The department pages: a department's people, what is routed to it, and its findings board.

They live in insights, not accounts (which knows no other app), because they show insights' findings
and routed mentions; the paths stay `/departments/` and `/departments/<slug>/` (config/urls.py).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from accounts.roles import Role
from accounts.selectors import departments_visible_to
from insights.selectors.findings import findings_board, findings_board_counts
from insights.views.findings import members_and_staff

app_name = "departments"


@members_and_staff
def departments(request):
    """The departments the user belongs to; insights staff (and admins) see them all."""
    return render(
        request,
        "insights/departments.html",
        {
            "departments": departments_visible_to(user=request.user),
            "sees_all": request.user.has_role(Role.INSIGHTS_STAFF),
        },
    )


@members_and_staff
def department_detail(request, slug: str):
    """One department for its members and insights staff (and admins): its lead, members, routed mentions
    and findings board. Anyone else gets 404, as for a department that does not exist, so slugs do not leak."""
    department = departments_visible_to(user=request.user).filter(slug=slug).first()
    if department is None:
        raise Http404("No such department.")
    board = list(findings_board(department=department)[:100])
    return render(
        request,
        "insights/department_detail.html",
        {
            "department": department,
            "findings": board,
            "counts": findings_board_counts(department.findings.all()),
        },
    )


urlpatterns = [
    path("departments/", departments, name="list"),
    path("departments/<slug:slug>/", department_detail, name="detail"),
]
