"""Who is behind an API request, for the record (`created_by`, `invited_by`…)."""

from accounts.api_auth import ApiKeyPrincipal
from accounts.models import User


def acting_user(request) -> User | None:
    """The signed-in user of a session, or the user who created the API key of a key request.

    None for a key nobody owns (made by a command) or an anonymous request: a key is not a
    person, but the person who made it answers for what it does.
    """
    if isinstance(request.user, ApiKeyPrincipal):
        return request.user.api_key.created_by
    return request.user if isinstance(request.user, User) else None
