"""Permission-matrix rows for the quarterly reports (collected by dashboard/tests/test_permission_matrix.py).

Nobody in the matrix sits on a council or holds councils.manage_councils: executives (and admins) read the
reports; a council member without a seat does not. `councils:reports` (the index) is in matrix.py.
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

REPORT = {"council": "brand", "quarter": "2026-Q1"}

ROWS = {
    "councils:report": (REPORT, allow(Role.EXECUTIVE)),
    "councils:report_pdf": (REPORT, allow(Role.EXECUTIVE)),
    "councils:report_notes": (REPORT, everyone(405)),  # POST only
    "councils:report_publish": (REPORT, everyone(405)),  # POST only
    "api:council-report": (REPORT, allow(Role.EXECUTIVE, anon=401)),
    "api:council-reports": ({"council": "customer"}, allow(Role.EXECUTIVE, anon=401)),
}
