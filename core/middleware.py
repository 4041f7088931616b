from http import HTTPStatus

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from core.exceptions import error_body

API_PREFIX = "/api/"

# What Django's own error answers become under /api/ (DRF's codes and messages where it has them).
_CODES = {
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", 'Method "{method}" not allowed.'),
    500: ("server_error", "A server error occurred."),
}


class ApiErrorMiddleware:
    """Under /api/, an error page that Django made (not an API view) becomes the API's JSON error shape.

    That covers an unknown path (404), a method a plain view refuses (405) and an unexpected
    exception (500), in every mode: with DEBUG on, Django's debug pages (which list every URL
    or show a traceback) never reach an integration. Django has logged the 500 by then, and
    mailed it to ADMINS, as for any page. It runs first, so that it sees every answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith(API_PREFIX) or hasattr(response, "data"):
            return response  # a success, a page, or an API view's own error (DRF responses carry .data)
        code, message = _CODES.get(response.status_code) or _generic(response.status_code)
        api_response = JsonResponse(
            error_body(code, message.format(method=request.method)), status=response.status_code
        )
        if response.has_header("Allow"):
            api_response["Allow"] = response["Allow"]
        # Django logged the error already (a 500 with its traceback): not a second time.
        api_response._has_been_logged = getattr(response, "_has_been_logged", False)
        return api_response


def _generic(status: int) -> tuple[str, str]:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return phrase.lower().replace(" ", "_").replace("-", "_"), f"{phrase}."


NUL_MESSAGE = "The address, a parameter or a form field holds a NUL character (\\u0000), which Rapport cannot read."


class RefuseNulMiddleware:
    """A NUL character in the path, a query parameter or a form field is a 400 here, for every view.

    PostgreSQL cannot store or even compare text holding NUL (psycopg raises while sending it), so
    `/r/%00` or `?status=%00` would otherwise be a server error wherever it reaches a query. The
    answer is JSON under /api/ (ApiErrorMiddleware). JSON bodies are checked by core.parsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(error_body("invalid", NUL_MESSAGE), status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"message": NUL_MESSAGE}))
        return self.get_response(request)


def _holds_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())
