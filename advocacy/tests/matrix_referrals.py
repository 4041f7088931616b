"""Permission-matrix rows for the program's referrals pages and API (see dashboard/tests/test_permission_matrix.py)."""

from accounts.tests.matrix import allow, everyone  # noqa: F401

ROWS = {}
