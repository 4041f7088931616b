"""Paths to insights pages that other parts link to, for pages and emails alike."""

from django.urls import NoReverseMatch, reverse


def mention_path(mention_id: int) -> str:
    """The mention page. It is built with the triage inbox at exactly this path (URL name
    `insights:mention_detail`); until that name exists, the path itself."""
    try:
        return reverse("insights:mention_detail", args=[mention_id])
    except NoReverseMatch:
        return f"/insights/mentions/{mention_id}/"
