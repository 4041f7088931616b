"""Permission-matrix rows for the quarterly reports (collected by dashboard/tests/test_permission_matrix.py).

Nobody in the matrix sits on a council; insights staff hold councils.manage_councils. Executives, staff
(and admins) read the reports; a council member without a seat does not. `councils:reports` (the index) is in matrix.py.
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

REPORT = {"council": "brand", "quarter": "2026-Q1"}

ROWS = {
    "councils:report": (REPORT, allow(Role.EXECUTIVE, Role.INSIGHTS_STAFF)),
    "councils:report_pdf": (REPORT, allow(Role.EXECUTIVE, Role.INSIGHTS_STAFF)),
    "councils:report_notes": (REPORT, everyone(405)),  # POST only
    "councils:report_publish": (REPORT, everyone(405)),  # POST only
    "api:council-report": (REPORT, allow(Role.EXECUTIVE, Role.INSIGHTS_STAFF, anon=401)),
    "api:council-reports": ({"council": "customer"}, allow(Role.EXECUTIVE, Role.INSIGHTS_STAFF, anon=401)),
}
