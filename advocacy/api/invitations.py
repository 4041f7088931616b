"""Invitations, program stats and ambassadors over the API.

Scopes: `program:write` to invite and revoke, `program:read` to read. Signed-in users need
the permission `advocacy.manage_program` (insights staff and admins; council members can be given it).
"""

from dataclasses import asdict, fields

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiKey, User
from advocacy.models import Invitation, Membership
from advocacy.selectors.program import (
    SEAT_HOLDING,
    members_with_totals,
    program_get,
    program_stats,
)
from advocacy.selectors.recognition import ActivityTotals
from advocacy.services.invitations import invitation_create, invitation_revoke
from core.links import site_origin
from core.pagination import Pagination

MANAGE = "advocacy.manage_program"
READ = {"GET": "program:read"}
WRITE = {"GET": "program:read", "POST": "program:write"}


def acting_user(request) -> User | None:
    """The person behind a request: the signed-in user, or whoever created the API key."""
    if isinstance(request.auth, ApiKey):
        return request.auth.created_by
    return request.user if isinstance(request.user, User) else None


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.EmailField(source="invited_by.email", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "name", "note", "kind", "status", "sent_at", "expires_at", "responded_at"]
        fields += ["invited_by"]
        read_only_fields = ["id", "kind", "status", "sent_at", "expires_at", "responded_at"]
        extra_kwargs = {"name": {"required": False}, "note": {"required": False}}


class InvitationListApi(generics.ListCreateAPIView):
    """List invitations (newest first; `?status=` filters), or invite someone by email."""

    required_permission = MANAGE
    required_scopes = WRITE
    serializer_class = InvitationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        invitations = Invitation.objects.select_related("invited_by").order_by("-created_at", "-id")
        wanted = self.request.query_params.get("status")
        return invitations.filter(status=wanted) if wanted else invitations

    @extend_schema(responses={201: InvitationSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _ = invitation_create(
            **serializer.validated_data, invited_by=acting_user(request), origin=site_origin(request)
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeApi(APIView):
    """Revoke a pending invitation: its link stops working. Revoking twice answers the same."""

    required_permission = MANAGE
    required_scopes = {"POST": "program:write"}

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request, pk):
        invitation = invitation_revoke(invitation=get_object_or_404(Invitation, pk=pk), by=acting_user(request))
        return Response(InvitationSerializer(invitation).data)


class ProgramStatsApi(APIView):
    """Seats used of the limit, the waitlist, and the invitation funnel by status."""

    required_permission = MANAGE
    required_scopes = READ

    @extend_schema(
        responses=inline_serializer(
            "ProgramStats",
            {
                "seat_limit": serializers.IntegerField(),
                "seats_used": serializers.IntegerField(),
                "waitlist": serializers.IntegerField(),
                "invitations": inline_serializer(
                    "InvitationFunnel",
                    {key: serializers.IntegerField() for key in ["sent", *Invitation.Status.values]},
                ),
            },
        )
    )
    def get(self, request):
        return Response(program_stats())


class AmbassadorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "status", "seat", "joined_at", "left_at", "totals"]

    @extend_schema_field(
        inline_serializer("AmbassadorTotals", {f.name: serializers.IntegerField() for f in fields(ActivityTotals)}),
    )
    def get_totals(self, member) -> dict:
        return asdict(member.totals)


class AmbassadorListApi(generics.ListAPIView):
    """Members with their counted activity totals; `?status=active|paused|alumni` filters (default: seat holders)."""

    required_permission = MANAGE
    required_scopes = READ
    serializer_class = AmbassadorSerializer
    pagination_class = Pagination
    queryset = Membership.objects.none()  # for the schema; get_queryset reads the program

    def get_queryset(self):
        wanted = self.request.query_params.get("status")
        statuses = [wanted] if wanted in Membership.Status.values else SEAT_HOLDING
        return program_get().memberships.filter(status__in=statuses).select_related("user").order_by("joined_at", "pk")

    def paginate_queryset(self, queryset):
        return members_with_totals(super().paginate_queryset(queryset))


urlpatterns = [
    path("invitations", InvitationListApi.as_view(), name="invitations"),
    path("invitations/<int:pk>/revoke", InvitationRevokeApi.as_view(), name="invitation-revoke"),
    path("program/stats", ProgramStatsApi.as_view(), name="program-stats"),
    path("ambassadors", AmbassadorListApi.as_view(), name="ambassadors"),
]
