"""Permission-matrix rows for advocate discovery's pages and API (see dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow

ROWS = {
    "advocacy:candidates": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:candidates_merge": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:candidate_hide": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:candidate_unmerge": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:thank_them": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:thank": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "api:advocate-candidates": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
}
