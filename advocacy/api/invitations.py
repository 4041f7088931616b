"""Invitations, program stats and ambassadors over the API.

Scopes: `program:write` to invite and revoke, `program:read` to read. Signed-in users need
the permission MANAGE_PROGRAM (insights staff and admins; council members can be given it).
"""

from dataclasses import asdict, fields

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import MANAGE_PROGRAM, Invitation, Membership
from advocacy.selectors.program import (
    SEAT_HOLDING,
    members_with_totals,
    program_get,
    program_stats,
)
from advocacy.selectors.recognition import ActivityTotals
from advocacy.services.invitations import invitation_create, invitation_revoke
from core.api_user import acting_user
from core.links import site_origin
from core.pagination import Pagination

READ = {"GET": "program:read"}
WRITE = {"GET": "program:read", "POST": "program:write"}


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="A personal note, quoted in the email."
    )


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    note = serializers.CharField(help_text="A personal note, quoted in the email.")
    kind = serializers.ChoiceField(choices=Invitation.Kind.choices)
    status = serializers.ChoiceField(choices=Invitation.Status.choices)
    sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    invited_by = serializers.EmailField(source="invited_by.email", default=None, allow_null=True)
    source = serializers.ChoiceField(choices=Invitation.Source.choices, help_text="discovery: from a mention author.")
    discovered_channel = serializers.CharField(
        source="discovered_channel.slug", default=None, allow_null=True, help_text="Where discovery found them."
    )
    discovered_handle = serializers.CharField(help_text="Their handle there; blank unless from discovery.")


class InvitationListApi(generics.ListAPIView):
    """List invitations (newest first; `?status=` filters), or invite someone by email."""

    required_permission = MANAGE_PROGRAM
    required_scopes = WRITE
    serializer_class = InvitationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        invitations = Invitation.objects.select_related("invited_by", "discovered_channel").order_by(
            "-created_at", "-id"
        )
        wanted = self.request.query_params.get("status")
        return invitations.filter(status=wanted) if wanted else invitations

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def post(self, request):
        incoming = InvitationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invitation, _ = invitation_create(
            **incoming.validated_data, invited_by=acting_user(request), origin=site_origin(request)
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeApi(APIView):
    """Revoke a pending invitation: its link stops working. Revoking twice answers the same."""

    required_permission = MANAGE_PROGRAM
    required_scopes = {"POST": "program:write"}

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request, pk):
        invitation = invitation_revoke(invitation=get_object_or_404(Invitation, pk=pk), by=acting_user(request))
        return Response(InvitationSerializer(invitation).data)


class ProgramStatsApi(APIView):
    """Seats used of the limit, the waitlist, and the invitation funnel by status."""

    required_permission = MANAGE_PROGRAM
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


class AmbassadorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    seat = serializers.IntegerField(allow_null=True)
    joined_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(allow_null=True)
    totals = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer("AmbassadorTotals", {f.name: serializers.IntegerField() for f in fields(ActivityTotals)}),
    )
    def get_totals(self, member) -> dict:
        return asdict(member.totals)


class AmbassadorListApi(generics.ListAPIView):
    """Members with their counted activity totals; `?status=active|paused|alumni` filters (default: seat holders)."""

    required_permission = MANAGE_PROGRAM
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
