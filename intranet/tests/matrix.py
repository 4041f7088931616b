"""Permission-matrix rows for the intranet (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "intranet:home": ({}, allow(Role.EMPLOYEE)),
    "intranet:ideas": ({}, allow(Role.EMPLOYEE)),
    "intranet:idea_new": ({}, allow(Role.EMPLOYEE)),
    "intranet:idea_detail": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such idea
    "intranet:idea_vote": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:idea_comment": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:idea_status": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:idea_merge": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "api:ideas": ({}, allow(Role.EMPLOYEE, anon=401)),
    "api:idea-vote": ({"pk": 999999}, everyone(405)),  # POST/DELETE only
    "intranet:people": ({}, allow(Role.EMPLOYEE)),
    "intranet:new_joiners": ({}, allow(Role.EMPLOYEE)),
    "intranet:person": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such colleague
    "intranet:person_photo": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:profile": ({}, allow(Role.EMPLOYEE)),
    "intranet:search": ({}, allow(Role.EMPLOYEE)),
}
