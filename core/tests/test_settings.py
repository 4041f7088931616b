"""Production settings, checked in a fresh process as an operator would start it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    return run(sys.executable, "manage.py", *args, **env)


def run(*command, **env):
    # An operator's shell: none of the test run's own variables (pytest.ini's env).
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run(command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-deploy-check",
        "ALLOWED_HOSTS": "rapport.example",
        "STATIC_ROOT": str(tmp_path),  # collected as a deploy does (`make check-deploy` too)
    }
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **production)
    assert collected.returncode == 0, collected.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_filemail_writes_each_email_to_a_file(tmp_path):
    result = manage(
        "sendtestemail",
        "ops@carlssoda.example",
        DEBUG="1",
        EMAIL_URL=f"filemail://{tmp_path}",
        DATABASE_URL="sqlite://",
    )
    assert result.returncode == 0, result.stderr
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert "To: ops@carlssoda.example" in files[0].read_text()


SHOW_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def site_url(**env) -> str:
    result = manage("shell", "--no-imports", "-c", SHOW_SITE_URL, DEBUG="1", DATABASE_URL="sqlite://", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_follows_the_port_that_make_run_serves_on():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8790") == "http://127.0.0.1:8790"


def test_a_site_url_that_is_set_wins_over_the_port():
    assert site_url(PORT="8790", SITE_URL="https://rapport.example") == "https://rapport.example"


def test_make_passes_its_port_to_the_settings():
    # A throwaway target beside the Makefile's own: what `PORT=8790 make run` hands to manage.py.
    target = f"site-url: ; @{sys.executable} manage.py shell --no-imports -c '{SHOW_SITE_URL}'"
    result = run("make", "-s", "--eval", target, "site-url", "PORT=8790", DEBUG="1", DATABASE_URL="sqlite://")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8790"


# The csrftoken cookie of the login page, as production settings send it over plain HTTP.
SHOW_LOGIN_COOKIES = (
    "from django.test import Client; r = Client().get('/accounts/login/'); "
    "print(r.status_code, bool(r.cookies['csrftoken']['secure']))"
)


def login_page_cookie_is_secure(**env) -> bool:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_LOGIN_COOKIES,
        DEBUG="0",
        SECRET_KEY="x" * 20 + "production-like-secret-key-for-the-cookie-check",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite://",
        STATICFILES_MANIFEST="0",
        SECURE_SSL_REDIRECT="0",
        **env,
    )
    assert result.returncode == 0, result.stderr
    status, secure = result.stdout.split()
    assert status == "200", result.stdout
    return secure == "True"


SHOW_COOKIE_SETTINGS = (
    "from django.conf import settings; print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def cookie_settings(**env) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_COOKIE_SETTINGS,
        SECRET_KEY="x" * 20 + "production-like-secret-key-for-the-cookie-check",
        DATABASE_URL="sqlite://",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_stay_secure_behind_a_tls_proxy_without_the_redirect():
    # The proxy terminates TLS and redirects itself: the app's redirect is off, its cookies still Secure.
    assert cookie_settings(DEBUG="0", SECURE_SSL_REDIRECT="0") == "True True"
    assert login_page_cookie_is_secure()


def test_secure_cookies_0_drops_the_flag_for_plain_http_on_loopback():
    assert cookie_settings(DEBUG="0", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0") == "False False"
    assert not login_page_cookie_is_secure(SECURE_COOKIES="0")


def test_cookies_are_secure_by_default_in_production():
    assert cookie_settings(DEBUG="0") == "True True"
