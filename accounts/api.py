from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyPrincipal
from accounts.permissions import ANY_SIGNED_IN, NO_SCOPE
from accounts.roles import Role
from accounts.selectors import department_list


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


class DepartmentOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The department's address, e.g. `customer-service`.")
    name = serializers.CharField()
    lead = serializers.EmailField(allow_null=True, help_text="The lead's email address, or null when there is none.")
    members = serializers.ListField(child=serializers.EmailField(), help_text="The members' email addresses, sorted.")


class DepartmentListApi(APIView):
    """The departments findings are routed to, with lead and members: insights staff, or a key with findings:read."""

    allowed_roles = (Role.INSIGHTS_STAFF,)
    required_scopes = {"GET": "findings:read"}

    @extend_schema(responses=DepartmentOutputSerializer(many=True), operation_id="departments_list", tags=["accounts"])
    def get(self, request):
        data = [
            {
                "slug": department.slug,
                "name": department.name,
                "lead": department.lead.email if department.lead else None,
                "members": sorted(member.email for member in department.members.all()),
            }
            for department in department_list()
        ]
        return Response(DepartmentOutputSerializer(data, many=True).data)
