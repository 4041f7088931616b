from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyPrincipal
from accounts.permissions import ANY_SIGNED_IN, NO_SCOPE


class MeOutputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["user", "api_key"], help_text="Who is calling: a person or an integration.")
    id = serializers.IntegerField(allow_null=True, help_text="The user's id (null for an API key).")
    email = serializers.EmailField(allow_null=True)
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="Roles of a user; empty for an API key.")
    scopes = serializers.ListField(child=serializers.CharField(), help_text="Scopes of an API key; empty for a user.")
    key_prefix = serializers.CharField(allow_null=True, help_text="The public prefix of the calling API key.")


class MeApi(APIView):
    """Who am I? Any signed-in user, and any valid API key."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = {"GET": NO_SCOPE}

    @extend_schema(responses=MeOutputSerializer, operation_id="me_retrieve", tags=["accounts"])
    def get(self, request):
        if isinstance(request.user, ApiKeyPrincipal):
            key = request.user.api_key
            data = {
                "type": "api_key",
                "id": None,
                "email": None,
                "name": key.name,
                "roles": [],
                "scopes": list(key.scopes),
                "key_prefix": key.prefix,
            }
        else:
            user = request.user
            data = {
                "type": "user",
                "id": user.pk,
                "email": user.email,
                "name": user.get_full_name(),
                "roles": sorted(user.roles),
                "scopes": [],
                "key_prefix": None,
            }
        return Response(MeOutputSerializer(data).data)
