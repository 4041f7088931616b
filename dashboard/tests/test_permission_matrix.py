"""The permission matrix: every named URL, as every role and as a visitor.

Adding a URL means adding its row to its app's tests/matrix.py (or tests/matrix_*.py), which this
module collects from every app; a URL without a row fails `test_every_named_url_has_a_row`.
Statuses are what a GET answers: 200 the page, 302 a redirect (to the login page for visitors),
403 refused, 401 an API call without credentials, 405 a POST-only action.
"""

import pkgutil
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from accounts.roles import Role
from accounts.tests.matrix import ANON, ROLES, SIGNED_IN, allow, everyone
from core.services import heartbeat_record


def _app_rows() -> dict:
    """`ROWS` of every app's tests/matrix.py and tests/matrix_*.py: name -> (kwargs, expected status per role)."""
    rows: dict = {}
    for app in settings.LOCAL_APPS:
        try:
            tests = import_module(f"{app}.tests")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(tests.__path__):
            if module.name == "matrix" or module.name.startswith("matrix_"):
                declared = getattr(import_module(f"{app}.tests.{module.name}"), "ROWS", {})
                twice = rows.keys() & declared.keys()
                assert not twice, f"{app}.tests.{module.name} repeats rows: {sorted(twice)}"
                rows |= declared
    return rows


MATRIX = _app_rows()

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
