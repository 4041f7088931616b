from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who people are and what they may do: users, roles, API keys. Knows no other app."""

    name = "accounts"
    verbose_name = "People and access"  # allauth's email addresses are "Accounts"

    def ready(self):
        from accounts import schema, signals  # noqa: F401 - OpenAPI auth scheme; role cache upkeep
