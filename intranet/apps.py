from django.apps import AppConfig


class IntranetConfig(AppConfig):
    """The internal employee network: profiles, posts, ideas, feedback."""

    name = "intranet"
    verbose_name = "Employee network"
