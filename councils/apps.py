from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    """The Brand and Customer Advisory Councils and their quarterly reports."""

    name = "councils"
    verbose_name = "Advisory councils"

    def ready(self):
        from councils import signals  # noqa: F401  (connects the receivers)
