"""Rapport's system checks: states in which production would start, then answer every page with a 500."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

COLLECTSTATIC = "python manage.py collectstatic --noinput"
# Not Django's "staticfiles" tag: collectstatic runs the checks of that tag, and must run to fix this.
STATIC_MANIFEST = "static_manifest"


@checks.register(STATIC_MANIFEST)
def static_manifest_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With the manifest storage (production), every `{% static %}` needs the manifest collectstatic writes."""
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):  # the lazy storage reports its real class
        return []
    manifest = storage.manifest_storage
    if manifest.exists(storage.manifest_name):
        return []
    return [
        checks.Error(
            f"The static files manifest {manifest.path(storage.manifest_name)} is missing: "
            "every page would fail with a server error.",
            hint=f"Run `{COLLECTSTATIC}` before starting the app (the Docker image runs it when it is built).",
            id="core.E001",
        )
    ]


def refuse_to_serve_without_static() -> None:
    """Raise when the static-files checks fail: gunicorn runs no system check of its own."""
    errors = [e for e in checks.run_checks(tags=[STATIC_MANIFEST]) if e.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.msg} {e.hint}" for e in errors))
