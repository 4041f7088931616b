"""Permission-matrix rows for the home redirect and the staff dashboard (see test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "home": ({}, everyone(302)),  # visitors to login, each role to its own home
    "dashboard:staff": ({}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE)),
    "dashboard:export_chart": ({"chart": "volume"}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE)),
}
