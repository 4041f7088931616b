"""Languages as the scorers read them."""

from django.conf import settings


def primary_language(language: str) -> str:
    """'en-US' -> 'en'; blank means the organisation's default language."""
    return (language or settings.INSIGHTS_DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
