"""Rapport's own system checks: production refuses to start in a state that would answer 500s."""

import json

import pytest
from django.core import checks

from core.checks import STATIC_MANIFEST
from core.tests.test_settings import manage

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PLAIN_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-static-check",
    "ALLOWED_HOSTS": "rapport.example",
    "DATABASE_URL": "sqlite://",
}


def static_errors():
    return [e for e in checks.run_checks(tags=[STATIC_MANIFEST]) if e.id == "core.E001"]


def test_a_missing_manifest_is_an_error_naming_collectstatic(settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    [error] = static_errors()
    assert error.level == checks.ERROR
    assert "python manage.py collectstatic --noinput" in error.hint
    assert str(tmp_path / "staticfiles.json") in error.msg


def test_a_collected_manifest_passes(settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": ""}))
    assert static_errors() == []


def test_storage_without_a_manifest_needs_none(settings, tmp_path):
    settings.STORAGES = PLAIN_STORAGE
    settings.STATIC_ROOT = tmp_path
    assert static_errors() == []


def test_production_check_fails_until_collectstatic_runs(tmp_path):
    result = manage("check", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "python manage.py collectstatic --noinput" in result.stderr

    collected = manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert collected.returncode == 0, collected.stderr
    assert manage("check", STATIC_ROOT=str(tmp_path), **PRODUCTION).returncode == 0


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_app_server_refuses_to_start_without_the_manifest(tmp_path, module):
    # gunicorn imports config.wsgi and runs no system check: the application itself refuses.
    result = manage("shell", "--no-imports", "-c", f"import {module}", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode != 0
    assert "python manage.py collectstatic --noinput" in result.stderr
