"""The `http` suite: the hot authenticated page and the API, served by gunicorn on PostgreSQL.

Every figure is measured against DESIGN.md's limit for a Django page on PostgreSQL under
gunicorn with persistent connections. The page shows what templates and queries cost on
top of that; `/api/v1/me` with a session and with an API key shows each authentication's
cost on the smallest endpoint.
"""

import re
import time
from argparse import Namespace
from collections.abc import Iterator
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench import BenchError, log
from bench.load import Target, load_measure
from bench.prepare import Bench
from bench.server import HOST, gunicorn

LIMIT = "about 900 req/s: a Django page on Postgres under gunicorn with persistent connections (DESIGN.md)"
# Demo data from `seed_demo`: an insights analyst, whose authenticated home is /staff/.
LOGIN_EMAIL = "ana.insights@carlssoda.example"
LOGIN_PASSWORD = "carls-soda-demo"

# (figure, path, auth)
FIGURES = [
    ("page_staff_dashboard", "/staff/", "session"),
    ("api_me_session", "/api/v1/me", "session"),
    ("api_me_api_key", "/api/v1/me", "api_key"),
]


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    """Yield one figure per entry of FIGURES."""
    # Only stdout carries the key; create_api_key's messages go to stderr.
    api_key = bench.manage(
        "create_api_key", "--name", f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}", "--scopes", "mentions:read"
    ).strip()
    with gunicorn(bench.env) as port:
        auth_headers = {
            "session": {"Cookie": f"sessionid={session_login(port, LOGIN_EMAIL, LOGIN_PASSWORD)}"},
            "api_key": {"Authorization": f"Api-Key {api_key}"},
        }
        for figure, path, auth in FIGURES:
            target = Target(port=port, path=path, headers=auth_headers[auth])
            check_answers_ok(target)
            log(
                f"{figure}: GET {path} ({auth}), {options.warmup} s warm-up + {options.duration} s "
                f"at concurrency {options.concurrency}"
            )
            numbers = load_measure(
                target, concurrency=options.concurrency, warmup_s=options.warmup, duration_s=options.duration
            )
            yield {
                "figure": figure,
                "path": path,
                "auth": auth,
                **numbers,
                "concurrency": options.concurrency,
                "duration_s": options.duration,
                "limit": LIMIT,
            }


def session_login(port: int, email: str, password: str) -> str:
    """Log in through allauth's form, as a browser would; return the session id."""
    connection = HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        html = response.read().decode()
        cookies = _cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if response.status != 200 or "csrftoken" not in cookies or token is None:
            raise BenchError(f"GET /accounts/login/ answered {response.status} without a CSRF token and cookie.")
        form = {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        connection.request(
            "POST",
            "/accounts/login/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies = _cookies(response)
        if response.status != 302 or "sessionid" not in cookies:
            raise BenchError(f"logging in as {email} answered {response.status} without a session cookie.")
        return cookies["sessionid"].value
    finally:
        connection.close()


def _cookies(response) -> SimpleCookie:
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return cookies


def check_answers_ok(target: Target) -> None:
    """One request must succeed before measuring: a figure of fast 302s or 403s would mislead."""
    connection = HTTPConnection(HOST, target.port, timeout=10)
    try:
        connection.request("GET", target.path, headers=target.headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise BenchError(f"GET {target.path} answered {response.status}, not 200: {body[:200]!r}")
