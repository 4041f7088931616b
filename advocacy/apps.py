from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    """The invitation-only Brand Ambassador Program."""

    name = "advocacy"
    verbose_name = "Ambassador program"
