from django.apps import AppConfig


class IntranetConfig(AppConfig):
    """The internal employee network: profiles, posts, ideas, feedback."""

    name = "intranet"
    verbose_name = "Employee network"

    def ready(self):
        from intranet import claim  # noqa: F401  (connects the claim of imported accounts to password resets)
