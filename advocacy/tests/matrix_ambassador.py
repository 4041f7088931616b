"""Permission-matrix rows for the program's ambassador pages and API (see dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone  # noqa: F401

ROWS = {
    "advocacy:portal": ({}, allow(Role.AMBASSADOR)),
}
