class ApplicationError(Exception):
    """A business rule refused the request; the message is for the user.

    Services raise subclasses (``SeatLimitReached``, ``InvalidTermQuery``…);
    the API's exception handler and the views turn them into one error shape.
    """

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def error_body(code: str, message: str, details=None) -> dict:
    """The API's one error shape: `{"error": {"code", "message", "details"?}}`."""
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body
