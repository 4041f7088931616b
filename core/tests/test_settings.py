"""Production settings, checked in a fresh process as an operator would start it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # An operator's shell: none of the test run's own variables (pytest.ini's env).
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "production-like-secret-key-for-the-deploy-check",
        ALLOWED_HOSTS="rapport.example",
    )
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
