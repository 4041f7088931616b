"""Shared test fixtures: the named demo people, login helpers, and a real browser.

Tests that need PostgreSQL or Chromium carry the `postgres` / `browser` marker:
they skip with a reason where those are missing, and fail instead under
REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (as in CI).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.roles import Role

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).parent / "test-output"))


def _required(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false", "no")


def pytest_sessionstart(session):
    # Fail fast: CI promises Postgres; a SQLite run there would hide that promise broken.
    if _required("REQUIRE_POSTGRES") and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "psql")):
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL URL.")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        reason = f"needs PostgreSQL (DATABASE_URL is {connection.vendor})"
        if _required("REQUIRE_POSTGRES"):
            pytest.fail(f"REQUIRE_POSTGRES=1: {reason}")
        pytest.skip(reason)
    if item.get_closest_marker("browser"):
        missing = _browser_missing()
        if missing:
            if _required("REQUIRE_BROWSER"):
                pytest.fail(f"REQUIRE_BROWSER=1: {missing}")
            pytest.skip(missing)


def _browser_missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords cheaply: the production hasher costs ~0.3 s a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty rate-limit counters and throttles."""
    cache.clear()
    yield
    cache.clear()


# --- People ------------------------------------------------------------------


@pytest.fixture
def make_user(db):
    """Create a user with the given roles; `make_user("ana.insights")` creates that demo person."""
    from accounts.tests.factories import UserFactory

    def make(handle: str | None = None, **fields):
        if handle is not None:
            demo = DEMO_USERS_BY_HANDLE[handle]
            fields = {"email": demo.email, "name": demo.name, "roles": demo.roles, **fields}
        return UserFactory(**fields)

    return make


@pytest.fixture
def login(make_user):
    """`login(client, "ana.insights")` signs a test client in as that demo person (created if need be)."""
    from accounts.models import User

    def do(client, handle: str):
        user = User.objects.filter(email=DEMO_USERS_BY_HANDLE[handle].email).first() or make_user(handle)
        client.force_login(user)
        return user

    return do


@pytest.fixture
def demo_users(make_user):
    """All the demo people of seed_demo, by handle (ana.insights, eli.employee…)."""
    return {handle: make_user(handle) for handle in DEMO_USERS_BY_HANDLE}


@pytest.fixture
def role_users(make_user):
    """One user per single role, for the permission matrix."""
    return {role: make_user(email=f"{role}@matrix.example", roles=[role]) for role in Role.values}


# --- API ------------------------------------------------------------------


@pytest.fixture
def api_client(db):
    """`api_client("mentions:read", …)`: a client that calls the API with a fresh key holding those scopes.

    Its bodies are JSON unless a test says otherwise; `.api_key` is the key's row.
    """
    from rest_framework.test import APIClient

    from accounts.tests.factories import ApiKeyFactory

    def make(*scopes):
        if len(scopes) == 1 and not isinstance(scopes[0], str):
            scopes = tuple(scopes[0])  # api_client(["a", "b"]) reads as well
        api_key, key = ApiKeyFactory(scopes=list(scopes))
        client = APIClient()
        client.default_format = "json"
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        client.api_key = api_key
        return client

    return make


def _assert_api_error(response, status: int, code: str) -> dict:
    """The response is the API's one error shape, with this status and code; returns the error."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.content[:300]}"
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert set(error) <= {"code", "message", "details"}, error
    return error


@pytest.fixture
def assert_api_error():
    """`assert_api_error(response, 404, "not_found")`: the API's error shape, status and code."""
    return _assert_api_error


# --- Data that migrations create -------------------------------------------

# A migration creates the channels in a real database, but a transactional test
# empties the tables, so tests that need channels ask for them.
TEST_CHANNELS = [
    ("twitter", "X / Twitter", "online"),
    ("reddit", "Reddit", "online"),
    ("call-centre", "Call centre", "offline"),
]


@pytest.fixture
def channels(db):
    from insights.models import Channel

    return [
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
        for slug, name, kind in TEST_CHANNELS
    ]


# Likewise the departments (accounts' data migration makes the first four).
TEST_DEPARTMENTS = [("marketing", "Marketing"), ("customer-service", "Customer service")]


@pytest.fixture
def departments(db):
    from accounts.models import Department

    return [Department.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in TEST_DEPARTMENTS]


# --- Browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Quiet on a closed network: no background calls home, no GPU.
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


# Every page reports what its Content-Security-Policy refused, with where it came from.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__rapportCspViolation(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} on ${e.documentURI}` +
      ` (${e.sourceFile}:${e.lineNumber}) ${e.sample}`
  );
});
"""


def _is_csp_message(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("Refused to")


@pytest.fixture
def csp_violations():
    """What the Content-Security-Policy refused in this test's browser (`page` fails the test on any)."""
    return []


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, live_server, csp_violations):
    """`open_page(viewport=…, is_mobile=…)`: a page in a fresh browser context (no cookies) on the live server.

    A CSP violation on any page of any context fails the test, at the end.
    """
    contexts = []

    def open_(**options):
        context = browser.new_context(
            base_url=live_server.url, **({"viewport": {"width": 1280, "height": 800}} | options)
        )
        context.set_default_timeout(10_000)
        context.expose_function("__rapportCspViolation", lambda text: csp_violations.append(text))
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        pg = context.new_page()
        pg.on("console", lambda message: _is_csp_message(message.text) and csp_violations.append(message.text))
        return pg

    yield open_
    for context in contexts:
        context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations), pytrace=False)


@pytest.fixture
def page(open_page):
    """A desktop browser page (1280 × 800) on the live server."""
    return open_page()


@pytest.fixture
def phone(open_page):
    """A phone's page (390 × 844, touch) on the live server."""
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def sign_in(page):
    """`sign_in(user)` fills in the real login form as a person would, and waits to leave it;
    `sign_in(user, on=phone)` does it on another page."""
    from accounts.demo import DEMO_PASSWORD

    def do(user, password=DEMO_PASSWORD, *, on=None):
        pg = on or page
        pg.goto("/accounts/login/")
        pg.get_by_label("Email").fill(user.email)
        pg.get_by_label("Password").fill(password)
        pg.get_by_role("button", name="Sign In").click()
        pg.wait_for_url(lambda url: "/accounts/login/" not in url)
        return pg

    return do


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "step")` saves test-output/screenshots/<test>-<step>.png."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(pg, step: str) -> Path:
        path = folder / f"{request.node.name}-{step}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
