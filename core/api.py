"""API conventions shared by every app: one error shape, pagination."""

import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, throttling
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


def _error(status: int, code: str, message: str, details=None, headers=None) -> Response:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return Response(body, status=status, headers=headers)


def exception_handler(exc, context):
    """Every API error answers `{"error": {"code", "message", "details"?}}`."""
    if isinstance(exc, ApplicationError):
        return _error(exc.status_code, exc.code, exc.message, exc.extra or None)
    if isinstance(exc, DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error(400, "invalid", "The request is not valid.", details)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over
    headers = {k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        return _error(response.status_code, "invalid", "The request is not valid.", response.data, headers)
    detail = getattr(exc, "detail", "")
    code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
    return _error(response.status_code, str(code), str(detail), headers=headers)


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly tables: stable pages and no COUNT(*)."""

    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


class FixedWindowMixin:
    """Count requests per fixed window with one atomic cache increment.

    DRF's throttles keep every request's timestamp in one cache entry and rewrite
    it on each request: at thousands of requests a minute that entry alone costs
    more than the view. A counter per window costs the same at any rate.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window_start = int(time.time() // self.duration * self.duration)
        key = f"{self.key}:{window_start}"
        cache.add(key, 0, self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.duration + 1)
            count = 1
        self.wait_seconds = window_start + self.duration - time.time()
        return count <= self.num_requests

    def wait(self):
        return max(self.wait_seconds, 0)


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    """Per signed-in user, and per API key (its principal has its own id)."""
