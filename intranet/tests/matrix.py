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
    "intranet:invite": ({}, allow(Role.ADMIN)),
    "intranet:person": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such colleague
    "intranet:person_photo": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:profile": ({}, allow(Role.EMPLOYEE)),
    "intranet:feedback_new": ({}, allow(Role.EMPLOYEE)),
    "intranet:feedback_thanks": ({}, allow(Role.EMPLOYEE)),
    "intranet:feedback_mine": ({}, allow(Role.EMPLOYEE)),
    "intranet:feedback_inbox": ({}, allow(Role.ADMIN)),  # employees without moderate_intranet or staff: 403
    "intranet:feedback_report": ({}, allow(Role.ADMIN)),  # likewise
    "intranet:suggestions": ({}, allow(Role.EMPLOYEE)),
    "intranet:suggestion_answer": (
        {"pk": "00000000-0000-4000-8000-000000000000"},
        allow(Role.EMPLOYEE, ok=405),  # POST only
    ),
    "intranet:pulse": ({}, allow(Role.EMPLOYEE)),
    "api:pulse": ({}, allow(Role.EMPLOYEE, anon=401, ok=400)),  # start and end are required
    "intranet:search": ({}, allow(Role.EMPLOYEE)),
}
