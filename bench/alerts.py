"""The `alerts` suite: seconds from a spike's bulk POST to its alert email, with a worker and beat running.

The production shape end to end: gunicorn takes the POST, Celery beat queues the alert evaluation
every minute, a Celery worker evaluates the 60 minutes up to now, opens the alert and sends its
email through the `filemail://` backend into a folder that the suite watches. The spike is posted
two seconds after a minute begins, so the figure is close to the worst case (the next evaluation
is a minute away). The target: within 90 seconds.

The spike goes to a tracked term of the suite's own, with no history (so no baseline), followed at
once by the demo's insights analyst; the term, its mentions and alert are deleted afterwards.
"""

import json
import subprocess
import sys
import tempfile
import time
import uuid
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

from bench import BenchError, log
from bench.jobs import job
from bench.prepare import PROJECT_DIR, Bench
from bench.server import HOST, gunicorn, process_stop

TARGET_S = 90
SPIKE_SIZE = 30  # mentions; the alert needs INSIGHTS_ALERT_MIN_MENTIONS (10)
FOLLOWER = "ana.insights@carlssoda.example"  # seed_demo's insights analyst
SOURCE = "bench-alerts"
POST_AT_SECOND = 2  # into the minute: the next evaluation is about a minute away
WAIT_LIMIT_S = 180
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"  # the production broker; a database of the bench's own


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    """Yield the `alert_email_after_spike` figure."""
    run_id = uuid.uuid4().hex[:8]
    name, word = f"Bench spike {run_id}", f"benchspike{run_id}"
    job(bench, "alert-term", name, word, FOLLOWER)
    api_key = bench.manage("create_api_key", "--name", f"bench alerts {run_id}", "--scopes", "mentions:write").strip()
    with tempfile.TemporaryDirectory(prefix="rapport-bench-alerts-") as folder:
        mail = Path(folder) / "mail"
        mail.mkdir()
        env = {
            **bench.env,
            "EMAIL_URL": f"filemail://{mail}",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(Path(folder) / "celerybeat-schedule"),
        }
        env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
        try:
            with gunicorn(env) as port, _celery(env, "worker", "--concurrency=2"), _celery(env, "beat"):
                _wait_for_second(POST_AT_SECOND)
                posted = time.time()
                _post_spike(port, api_key, word)
                log(f"posted {SPIKE_SIZE} mentions of “{name}”; waiting for the alert email in {mail}")
                emailed, subject = _wait_for_email(mail, name, posted)
        finally:
            job(bench, "alert-term-delete", name)
            job(bench, "delete-source", SOURCE)
    seconds = round(emailed - posted, 1)
    yield {
        "figure": "alert_email_after_spike",
        "seconds": seconds,
        "target_s": TARGET_S,
        "meets_target": seconds <= TARGET_S,
        "posted_at_second_of_minute": POST_AT_SECOND,
        "email_subject": subject,
        "limit": "beat evaluates alerts once a minute: at most ~60 s plus the evaluation and the email",
    }


def _wait_for_second(second: int) -> None:
    now = datetime.now(UTC)
    target = now.replace(second=second, microsecond=0)
    if target <= now:
        target += timedelta(minutes=1)
    time.sleep((target - now).total_seconds())


def _post_spike(port: int, api_key: str, word: str) -> None:
    now = datetime.now(UTC)
    items = [
        {
            "source": SOURCE,
            "external_id": f"{word}-{n}",
            "channel": "twitter",
            "text": f"Everyone is talking about {word} right now ({n})",
            "published_at": (now - timedelta(seconds=n)).isoformat(),
        }
        for n in range(SPIKE_SIZE)
    ]
    connection = HTTPConnection(HOST, port, timeout=60)
    headers = {"Authorization": f"Api-Key {api_key}", "Content-Type": "application/json"}
    connection.request("POST", "/api/v1/mentions/bulk", json.dumps(items), headers)
    response = connection.getresponse()
    body = json.loads(response.read())
    if response.status != 200 or body.get("created") != SPIKE_SIZE:
        raise BenchError(f"the spike's bulk POST answered {response.status}: {body}")


def _wait_for_email(folder: Path, term_name: str, posted: float) -> tuple[float, str]:
    deadline = posted + WAIT_LIMIT_S
    while time.time() < deadline:
        for path in folder.glob("*.log"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if term_name in text and "Subject:" in text:
                subject = next(line for line in text.splitlines() if line.startswith("Subject:"))
                return path.stat().st_mtime, subject.removeprefix("Subject: ")
        time.sleep(0.2)
    raise BenchError(f"no alert email within {WAIT_LIMIT_S} s of the spike")


@contextmanager
def _celery(env: dict[str, str], *args: str) -> Iterator[None]:
    command = [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel=WARNING"]
    log(f"starting celery {' '.join(args)}")
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sys.stderr, stderr=sys.stderr)
    try:
        yield
    finally:
        process_stop(process, f"celery {args[0]}")
