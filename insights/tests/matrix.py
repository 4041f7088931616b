"""Permission-matrix rows for the insights pages and API (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "insights:inbox": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:mentions_export": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:relabel": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:relabel_many": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:triage": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:triage_bulk": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:saved_view_create": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:saved_view_rename": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:saved_view_delete": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    # Department members (employees) open what was routed to them; the matrix's mention 1 does not exist: 404.
    "insights:mention_detail": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, ok=404)),
    "insights:mention_act": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, ok=405)),  # POST only
    "insights:overdue": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:review": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:agreement": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:offline": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:sentiment_models": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:sentiment_train": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:sentiment_activate": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:terms": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:term_edit": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such term
    "insights:term_retire": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:channels": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:channel_edit": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such channel
    "insights:channel_delete": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:alerts": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:feeds": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:imports": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:import_map": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such import
    "insights:import_detail": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:import_cancel": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:import_progress": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:import_rejected": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:feed_poll": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:feed_toggle": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:alert_subscriptions": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:alert_detail": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such alert
    "insights:alert_acknowledge": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:alert_close": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "api:mentions": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:mentions-bulk": ({}, everyone(405)),  # POST only
    "api:rollups": ({}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE, anon=401, ok=400)),  # 400: no range given
    "api:mention-response": ({"pk": 999999}, everyone(405)),  # POST only
    "api:response-times": ({}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE, anon=401, ok=400)),  # 400: no range given
    "api:mention-label": ({"pk": 999999}, everyone(405)),  # POST only
    "api:sentiment-train": ({}, everyone(405)),  # POST only
    "api:sentiment-models": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:sentiment-activate": ({}, everyone(405)),  # POST only
    "api:sentiment-review-queue": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:terms-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:terms-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:channels-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:channels-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:feeds-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:feeds-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "insights:findings": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:finding_create": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:finding_edit": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such finding
    # Department members open the findings routed to them: 404 for one that is not (or does not exist).
    "insights:finding_detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, ok=404)),
    **{
        f"insights:finding_{action}": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, ok=405))  # POST only
        for action in ("acknowledge", "reply", "start", "done", "decline", "reopen")
    },
    "api:findings": ({}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, anon=401)),
    "api:finding-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE, anon=401, ok=404)),
    "departments:list": ({}, allow(Role.INSIGHTS_STAFF, Role.EMPLOYEE)),
    # The matrix's employee belongs to no department: 404, as for one that does not exist (no slug leaks).
    "departments:detail": ({"slug": "marketing"}, allow(Role.INSIGHTS_STAFF) | {Role.EMPLOYEE: 404}),
}
