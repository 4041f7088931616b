"""Content-Security-Policy: every HTML page sends a strict one, and no template needs inline script or style.

Browser tests (conftest's `page`) fail on any violation the policy reports; core/tests/e2e/test_csp.py
walks every page in Chromium.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.matrix import ANON, ROLES
from core.charts import LineChart
from core.services import heartbeat_record
from dashboard.tests.test_permission_matrix import ROWS

ROOT = Path(__file__).resolve().parents[2]
STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} ({response.status_code}) sends no Content-Security-Policy"
    return {name: set(sources) for name, *sources in (part.split() for part in header.split(";") if part.strip())}


def assert_strict_policy(response):
    got = policy(response)
    wrong = {name: got.get(name) for name, sources in STRICT.items() if got.get(name) != sources}
    assert not wrong, f"{response.request['PATH_INFO']}: {wrong}"
    unsafe = {name: sources for name, sources in got.items() if any("unsafe" in s for s in sources)}
    assert not unsafe, f"{response.request['PATH_INFO']}: {unsafe}"


def _first_role_served(expected: dict) -> str | None:
    return next((role for role in ROLES if expected[role] == 200), None)


PAGES = [(name, kwargs, _first_role_served(expected)) for name, (kwargs, expected) in ROWS]


@pytest.mark.parametrize(("name", "kwargs", "role"), [p for p in PAGES if p[2]], ids=[p[0] for p in PAGES if p[2]])
def test_every_html_page_sends_the_strict_policy(client, role_users, name, kwargs, role):
    heartbeat_record()
    if role != ANON:
        client.force_login(role_users[role])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert_strict_policy(response)


def test_error_pages_send_the_strict_policy(client, role_users):
    assert_strict_policy(client.get("/no-such-page/"))
    client.force_login(role_users[Role.EMPLOYEE])
    refused = client.get(reverse("dashboard:staff"))
    assert refused.status_code == 403
    assert_strict_policy(refused)


def test_the_csrf_failure_page_needs_no_inline_style():
    # Django's own page for a refused form (an expired tab, blocked cookies) styles itself inline.
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@b.example"})
    assert response.status_code == 403
    assert_strict_policy(response)
    html = response.content.decode()
    found = {what: m.group(0) for what, pattern in INLINE.items() if (m := pattern.search(html))}
    assert not found, found
    assert "reload" in html


def test_a_redirect_to_the_login_page_sends_it_too(client):
    response = client.get(reverse("dashboard:staff"))
    assert response.status_code == 302
    assert_strict_policy(response)


def test_charts_render_a_placeholder_and_their_data_but_no_inline_script_or_style():
    html = str(LineChart([{"name": "Clicks", "data": {"2026-01-05": 3}}], height="260px", curve=False))
    assert 'class="chartkick-chart"' in html
    assert '<script id="chart-' in html
    assert 'type="application/json"' in html
    assert '"curve": false' in html
    for what, pattern in INLINE.items():
        assert not pattern.search(html), what


def test_a_chart_height_must_be_a_css_length():
    with pytest.raises(ValueError, match="height"):
        LineChart([], height="1px; background: url(x)")


# --- Templates: what the policy would refuse ---------------------------------------------------

INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _templates() -> list[Path]:
    folders = [ROOT / "templates"] + [ROOT / app / "templates" for app in settings.LOCAL_APPS]
    return sorted(path for folder in folders if folder.exists() for path in folder.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(_templates()) > 50


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    found = {what: m.group(0) for what, pattern in INLINE.items() if (m := pattern.search(text))}
    assert not found, f"{template.relative_to(ROOT)}: {found} (move it to static/ and use a class or data-*)"
