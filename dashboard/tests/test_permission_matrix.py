"""The permission matrix: every named URL, as every role and as a visitor.

Adding a URL means adding its row here (or in advocacy/tests/matrix_*.py); a URL without a row fails
`test_every_named_url_has_a_row`. Statuses are what a GET answers:
200 the page, 302 a redirect (to the login page for visitors), 403 refused,
401 an API call without credentials, 405 a POST-only action.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from accounts.roles import Role
from accounts.tests.matrix import ANON, ROLES, SIGNED_IN, allow, everyone
from advocacy.tests.matrix_ambassador import ROWS as AMBASSADOR_ROWS
from advocacy.tests.matrix_program import ROWS as PROGRAM_ROWS
from advocacy.tests.matrix_referrals import ROWS as REFERRAL_ROWS
from core.services import heartbeat_record

# name -> (kwargs, expected status per role)
MATRIX = {
    # Rapport's own pages
    "home": ({}, everyone(302)),  # visitors to login, each role to its own home
    "healthz": ({}, everyone(200)),
    "dashboard:staff": ({}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE)),
    "intranet:home": ({}, allow(Role.EMPLOYEE)),
    "councils:index": ({}, allow(Role.COUNCIL_MEMBER)),
    "councils:reports": ({}, allow(Role.EXECUTIVE, Role.COUNCIL_MEMBER)),
    "accounts:api_keys": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:inbox": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:relabel": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:review": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:agreement": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:offline": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:terms": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:term_edit": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such term
    "insights:alerts": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:feeds": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:imports": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:import_map": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such import
    "insights:import_detail": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:import_progress": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:import_rejected": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "insights:feed_poll": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:feed_toggle": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:alert_subscriptions": ({}, allow(Role.INSIGHTS_STAFF)),
    "insights:alert_detail": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=404)),  # no such alert
    "insights:alert_acknowledge": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "insights:alert_close": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "accounts:api_key_revoke": ({"prefix": "AbCd1234"}, allow(Role.INSIGHTS_STAFF, ok=405)),
    # API
    "api:me": ({}, everyone(200, anon=401)),
    "api:mentions": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:mentions-bulk": ({}, everyone(405)),  # POST only
    "api:rollups": ({}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE, anon=401, ok=400)),  # 400: no range given
    "api:terms-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:terms-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:channels-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:channels-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api:feeds-list": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "api:feeds-detail": ({"pk": 999999}, allow(Role.INSIGHTS_STAFF, anon=401, ok=404)),
    "api-schema": ({}, everyone(200)),
    "api-docs": ({}, everyone(200)),
    # allauth: entrance pages are for visitors; signed-in users are sent on
    "account_login": ({}, everyone(302, anon=200)),
    "account_signup": ({}, everyone(302, anon=200)),
    "account_logout": ({}, everyone(200, anon=302)),  # a confirmation page; logging out is a POST
    "account_change_password": ({}, everyone(200, anon=302)),
    "account_set_password": ({}, everyone(302)),  # users with a password go to "change"
    "account_email": ({}, everyone(200, anon=302)),
    "account_reauthenticate": ({}, everyone(200, anon=302)),
    "account_inactive": ({}, everyone(200)),
    "account_email_verification_sent": ({}, everyone(200)),
    "account_confirm_email": ({"key": "not-a-real-key"}, everyone(200)),  # "invalid link" page
    "account_confirm_login_code": ({}, everyone(302)),  # no login in progress
    "account_reset_password": ({}, everyone(200)),
    "account_reset_password_done": ({}, everyone(200)),
    "account_reset_password_from_key": ({"uidb36": "0", "key": "bad-token"}, everyone(200)),  # "bad token" page
    "account_reset_password_from_key_done": ({}, everyone(200)),
}

# Django admin: every URL without arguments is for admins only; these differ.
ADMIN_EXCEPTIONS = {
    "admin:login": {ANON: 200, Role.ADMIN: 302} | {r: 200 for r in SIGNED_IN if r != Role.ADMIN},
    "admin:logout": allow(anon=302, other=302, ok=405),  # POST only
    "admin:autocomplete": {**everyone(302), Role.ADMIN: 403},  # needs query parameters
}


def _admin_add_refused() -> set[str]:
    """Add pages of the models that only services write (their ModelAdmin refuses additions): 403 for admins."""
    superuser = RequestFactory().get("/admin/")
    superuser.user = get_user_model()(is_superuser=True, is_active=True)
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(superuser)
    }


def _named_urls(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_urls(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", tuple(pattern.pattern.regex.groupindex)


def _admin_rows():
    refused = _admin_add_refused()
    for name, args in sorted(set(_named_urls())):
        if name.startswith("admin:") and not args:
            default = allow(anon=302, other=302, ok=403 if name in refused else 200)
            yield name, ADMIN_EXCEPTIONS.get(name, default)


# The ambassador program keeps its rows beside its tests, one file per area.
MATRIX |= PROGRAM_ROWS | REFERRAL_ROWS | AMBASSADOR_ROWS

ROWS = sorted(MATRIX.items()) + [(name, ({}, expected)) for name, expected in _admin_rows()]


def test_every_named_url_has_a_row():
    named = {name for name, args in _named_urls() if not (name.startswith("admin:") and args)}
    covered = {name for name, _ in ROWS}
    assert named - covered == set(), "add these URLs to the permission matrix"
    assert covered - named == set(), "these matrix rows name URLs that no longer exist"


@pytest.fixture
def as_role(client, role_users):
    def sign_in(role):
        client.logout()
        if role != ANON:
            client.force_login(role_users[role])
        return client

    return sign_in


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[name for name, _ in ROWS])
def test_permission_matrix(name, row, as_role):
    kwargs, expected = row
    heartbeat_record()  # so that /healthz is healthy and answers 200
    url = reverse(name, kwargs=kwargs)
    got = {role: as_role(role).get(url).status_code for role in ROLES}
    assert got == expected, f"{url}: got {got}"


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("dashboard:staff"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
