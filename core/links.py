"""Absolute links, for emails and anything else read away from the page."""

from django.conf import settings


def site_origin(request=None) -> str:
    """`scheme://host[:port]` that people reach Rapport on: the request's, else `SITE_URL`."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str, request=None, *, origin: str | None = None) -> str:
    """`path` as an absolute link: from the request where there is one (the host and port it came in on),
    else from an origin taken from a request earlier (a service called by a view), else from `SITE_URL`."""
    return (origin or site_origin(request)).rstrip("/") + path
