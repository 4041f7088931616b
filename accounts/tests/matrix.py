"""Helpers for permission-matrix rows (what each role, and a visitor, gets from a GET), and accounts' own rows.

Every app keeps its rows in its own `tests/matrix.py` (or `tests/matrix_*.py`) as `ROWS`:
`{url_name: (kwargs, {role: status})}`; dashboard/tests/test_permission_matrix.py collects them.
"""

from accounts.roles import Role

ANON = "anonymous"
ROLES = [ANON, *Role.values]
SIGNED_IN = Role.values


def allow(*roles, anon=302, other=403, ok=200):
    """Only `roles` (and admins) get `ok`; visitors get `anon`; everyone else `other`."""
    allowed = set(roles) | {Role.ADMIN}
    return {ANON: anon} | {r: ok if r in allowed else other for r in SIGNED_IN}


def everyone(status=200, *, anon=None):
    return {ANON: status if anon is None else anon} | dict.fromkeys(SIGNED_IN, status)


ROWS = {
    "accounts:api_keys": ({}, allow(Role.INSIGHTS_STAFF)),
    "accounts:api_key_revoke": ({"prefix": "AbCd1234"}, allow(Role.INSIGHTS_STAFF, ok=405)),
    "api:me": ({}, everyone(200, anon=401)),
    "api:departments": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
    "accounts:notifications": ({}, everyone(200, anon=302)),
    "accounts:notifications_badge": ({}, everyone(200, anon=401)),  # htmx polls it; a visitor has no badge
    "accounts:notifications_digest": ({}, everyone(405, anon=302)),  # POST only
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
