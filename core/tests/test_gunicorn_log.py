"""The production gunicorn (config/gunicorn.conf.py) logs requests, but nothing of the pages where employees
answer anonymously: a log line's time and address beside a submission could say who gave it."""

import os
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

from bench.server import free_port, process_stop

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _get(port: int, path: str) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_access_log_keeps_other_pages_but_not_the_anonymous_answer_pages(tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": "test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--no-control-socket", "config.wsgi"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    _get(port, "/healthz")
                    break
                except OSError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                    time.sleep(0.2)
            for path in ("/intranet/feedback/", "/intranet/feedback/thanks/", "/intranet/pulse/", "/intranet/ideas/"):
                _get(port, path)
        finally:
            process_stop(process)
    lines = log.read_text()
    assert '"GET /intranet/ideas/ HTTP/1.1" 302' in lines  # other pages are logged as usual
    assert "/intranet/feedback/" not in lines
    assert "/intranet/pulse/" not in lines
