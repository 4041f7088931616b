"""The bench database and the environment that every Rapport subprocess runs with.

The bench measures the production shape (DESIGN.md "Running it"): PostgreSQL, DEBUG off,
persistent connections. It never benchmarks SQLite: its figures would say nothing about
production. It seeds demo users with a published password, so point it at a database of
its own (the default `rapport_bench`), never at one that serves people.
"""

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

from bench import BenchError, log

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rapport_bench"
# The schemes django-environ maps to a PostgreSQL backend.
POSTGRES_SCHEMES = {"postgres", "postgresql", "psql", "pgsql", "postgis"}


@dataclass(frozen=True)
class Bench:
    """A prepared bench: its database and the environment to run Rapport with."""

    database_url: str
    env: dict[str, str]

    def run(self, command: list[str], *, label: str, timeout_s: float = 600, env: dict | None = None) -> str:
        """Run a Python command from the project with the bench environment; return its stdout.

        Its stderr passes through; a failure or the time limit raises BenchError naming `label`.
        """
        try:
            result = subprocess.run(
                [sys.executable, *command],
                cwd=PROJECT_DIR,
                env={**self.env, **(env or {})},
                stdout=subprocess.PIPE,
                text=True,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            raise BenchError(f"{label} did not finish within {timeout_s:.0f} s.") from None
        if result.returncode != 0:
            raise BenchError(f"{label} failed (exit {result.returncode}); see its output above.")
        return result.stdout

    def manage(self, *args: str, timeout_s: float = 600) -> str:
        """Run `manage.py` with the bench environment; return its stdout (its stderr passes through)."""
        return self.run(["manage.py", *args], label=f"`manage.py {' '.join(args)}`", timeout_s=timeout_s)


def bench_prepare() -> Bench:
    """Create (if needed), migrate and seed the bench database; collect static files for DEBUG off."""
    database_url = database_url_from_env()
    database_create(database_url)
    bench = Bench(database_url=database_url, env=bench_env(database_url))
    # Static files first: with DEBUG off, every command checks that their manifest is there.
    for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"], ["seed_demo", "--force"]):
        log(f"manage.py {' '.join(command)}")
        bench.manage(*command)
    return bench


def database_url_from_env() -> str:
    """DATABASE_URL when it names PostgreSQL; the local default when it is unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return DEFAULT_DATABASE_URL
    scheme = urlsplit(url).scheme
    if scheme not in POSTGRES_SCHEMES:
        raise BenchError(
            f"the bench needs PostgreSQL, and DATABASE_URL is a {scheme or 'scheme-less'} URL. "
            f"Unset DATABASE_URL to use {DEFAULT_DATABASE_URL}, or point it at PostgreSQL."
        )
    return url


def database_create(database_url: str) -> None:
    """Create the bench database unless it exists, connecting to the server's `postgres` database."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise BenchError(f"DATABASE_URL names no database: {database_url}")
    # libpq reads the same URL (it knows postgres:// and postgresql://, query options included).
    maintenance_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        connection = psycopg2.connect(maintenance_url, connect_timeout=5)
    except psycopg2.OperationalError as exc:
        raise BenchError(f"cannot reach PostgreSQL at {parts.hostname or 'the local socket'}: {exc}".strip()) from exc
    connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                log(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def bench_env(database_url: str) -> dict[str, str]:
    """Production settings on plain-HTTP loopback, with the bench database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        # A fresh key per run: sessions from an earlier run are worthless, and no key is published.
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        # No TLS proxy in front: serve plain HTTP, and send the session cookie over it.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",  # persistent connections, as DESIGN.md's limit assumes
        # One user at full speed is the bench's load, not abuse: the throttle still runs (its
        # cost is part of the figure) but its ceiling (6000/min) must not turn requests into 429s.
        "API_THROTTLE_USER": "100000000/min",
    }
