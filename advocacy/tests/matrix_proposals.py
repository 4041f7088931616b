"""Permission-matrix rows for proposed invitations (see dashboard/tests/test_permission_matrix.py).

The matrix's council member holds the role only, not a seat (no group permission): the Brand council's
read-only and proposing access is tested in advocacy/tests/test_oversight.py."""

from accounts.roles import Role
from accounts.tests.matrix import allow

ROWS = {
    "advocacy:proposals": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:proposal_confirm": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:proposal_decline": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
}
