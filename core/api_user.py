"""Who is behind an API request, for the record (`created_by`, `invited_by`…)."""

from django.contrib.auth import get_user_model


def acting_user(request):
    """The signed-in user of a session, or the user who created the API key of a key request.

    None for a key nobody owns (made by a command) or an anonymous request: a key is not a
    person, but the person who made it answers for what it does. (An API-key request's
    `request.user` is the key's principal, which carries the key as `api_key`.)
    """
    api_key = getattr(request.user, "api_key", None)
    if api_key is not None:
        return api_key.created_by
    return request.user if isinstance(request.user, get_user_model()) else None
