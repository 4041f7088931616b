"""Permission-matrix rows for the program's program pages and API (see dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "advocacy:program": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:invitations": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:invitation_resend": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:invitation_revoke": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:member": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such member
    "advocacy:member_status": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "api:invitations": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:invitation-revoke": ({"pk": 999999}, everyone(405)),  # POST only
    "api:program-stats": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:ambassadors": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "advocacy:join": ({"token": "not-a-real-token"}, everyone(404)),  # the "cannot be used" page
    "advocacy:waitlist": ({}, everyone(404, anon=302)),  # nobody in the matrix is on the waitlist
}
