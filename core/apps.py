from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing that knows no other app: errors, API conventions, health."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checks  # noqa: F401  (registers the system checks)
