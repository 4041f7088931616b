"""Gunicorn serving Rapport on a free loopback port, stopped whatever happens."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection

from bench import BenchError, log
from bench.prepare import PROJECT_DIR

HOST = "127.0.0.1"  # the bench only ever talks to loopback
STARTUP_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10

# Sized for these 2-core machines. gthread, because its workers keep connections alive;
# sync workers close every connection, so each request would pay a new TCP connection
# (measured here on a bare Django page with one query: 1480 req/s with this setting,
# 1130 with 3 sync workers). One process per core, so workers do not fight each other
# and PostgreSQL for the cores; four threads each, so a thread waiting on the database
# leaves its core to another. On Rapport's pages, 2x2, 2x4, 3x2 and 4x2 (workers x threads)
# measured within noise of each other; 3 sync workers were 10-25% slower.
WORKER_ARGS = ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]


def free_port() -> int:
    """A port nobody listens on now (the OS picks it); gunicorn binds it a moment later."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], worker_args: list[str] = WORKER_ARGS) -> Iterator[int]:
    """Start gunicorn, wait until it answers HTTP, yield its port; stop it on the way out."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        *worker_args,
        "--no-control-socket",  # the default socket path is shared by every gunicorn of this user
        "--error-logfile",
        "-",
    ]
    log(f"starting gunicorn on {HOST}:{port} ({' '.join(worker_args)})")
    # Its output goes to our stderr: stdout carries figures only.
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr)
    try:
        _wait_until_answering(process, port)
        yield port
    finally:
        process_stop(process)


def _wait_until_answering(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with status {process.returncode} before answering; see its log above.")
        connection = HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            return  # any HTTP answer means a worker has loaded the app
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise BenchError(f"gunicorn did not answer within {STARTUP_TIMEOUT_S} s.")


def process_stop(process: subprocess.Popen, name: str = "gunicorn") -> None:
    """SIGTERM (gunicorn's and Celery's graceful shutdown); SIGKILL if it has not finished in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log(f"{name} stopped")
