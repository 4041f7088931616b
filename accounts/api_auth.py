"""`Authorization: Api-Key <key>` for integrations."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiKey

KEYWORD = "Api-Key"
LAST_USED_RESOLUTION = timedelta(minutes=5)  # write last_used_at at most this often


class ApiKeyPrincipal:
    """Stands in for `request.user` when an integration calls: it is the key, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    # No role: it is no person. Pages that Django renders for an API request (its 400 page for a body
    # over DATA_UPLOAD_MAX_MEMORY_SIZE) ask for the user's roles, and must get none, not an error.
    _rapport_roles = frozenset()

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.pk = self.id = f"apikey:{api_key.pk}"  # throttles count per key

    def __str__(self) -> str:
        return f"API key {self.api_key.prefix} ({self.api_key.name})"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD:
            return None
        key = key.strip()
        try:
            api_key = ApiKey.objects.get_from_key(key) if key else None
        except ApiKey.DoesNotExist:
            api_key = None
        if api_key is None or api_key.has_expired:
            raise exceptions.AuthenticationFailed("The API key is missing, unknown, revoked or expired.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return KEYWORD
