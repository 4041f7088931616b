"""Permission-matrix rows for the intranet (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow

ROWS = {
    "intranet:home": ({}, allow(Role.EMPLOYEE)),
}
