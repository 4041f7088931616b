"""Helpers for permission-matrix rows: what each role (and a visitor) gets from a GET."""

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
