"""Permission-matrix rows for the intranet (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow

ROWS = {
    "intranet:home": ({}, allow(Role.EMPLOYEE)),
    "intranet:people": ({}, allow(Role.EMPLOYEE)),
    "intranet:new_joiners": ({}, allow(Role.EMPLOYEE)),
    "intranet:person": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such colleague
    "intranet:person_photo": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:profile": ({}, allow(Role.EMPLOYEE)),
}
