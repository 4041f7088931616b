"""Permission-matrix rows for the program's program pages and API (see dashboard/tests/test_permission_matrix.py)."""

from accounts.tests.matrix import allow, everyone  # noqa: F401

ROWS = {
    "advocacy:join": ({"token": "not-a-real-token"}, everyone(404)),  # the "cannot be used" page
    "advocacy:waitlist": ({}, everyone(404, anon=302)),  # nobody in the matrix is on the waitlist
}
