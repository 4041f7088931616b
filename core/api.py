"""One error shape for every API error.

Pagination and throttles live in their own modules: DRF imports them while
`rest_framework.views` loads, which this module imports.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError, error_body


def _error(status: int, code: str, message: str, details=None, headers=None) -> Response:
    return Response(error_body(code, message, details), status=status, headers=headers)


def exception_handler(exc, context):
    """Every API error answers `{"error": {"code", "message", "details"?}}`."""
    if isinstance(exc, ApplicationError):
        return _error(exc.status_code, exc.code, exc.message, exc.extra or None)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error(413, "payload_too_large", f"The body is over {limit / 2**20:g} MB, the most this endpoint reads.")
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
