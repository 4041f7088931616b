"""Permission-matrix rows for the insights pages and API (collected by dashboard/tests/test_permission_matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "insights:inbox": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:mentions_export": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:relabel": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:relabel_many": ({}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:review": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:agreement": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:offline": ({}, allow(Role.INSIGHTS_STAFF)),
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
    "api:terms-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:terms-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:channels-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:channels-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:feeds-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:feeds-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
}
