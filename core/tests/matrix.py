"""Permission-matrix rows for health and the API schema and docs (see dashboard/tests/test_permission_matrix.py)."""

from accounts.tests.matrix import everyone

ROWS = {
    "healthz": ({}, everyone(200)),
    "api-schema": ({}, everyone(200)),
    "api-docs": ({}, everyone(200)),
}
