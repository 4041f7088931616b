"""Permission-matrix rows for the councils (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow

ROWS = {
    "councils:reports": ({}, allow(Role.EXECUTIVE, Role.COUNCIL_MEMBER, Role.INSIGHTS_STAFF)),
}
