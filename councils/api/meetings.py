"""Council meetings and action items over the API.

- `GET/POST /api/v1/councils/{council}/meetings` — list a council's meetings; schedule one (`councils:write`).
- `GET /api/v1/meetings/{id}` — one meeting with its attendees, action items and carried-over items.
- `GET /api/v1/meetings/{id}/ics` — the meeting as an iCalendar file (text/calendar, RFC 5545).
- `POST /api/v1/meetings/{id}/action-items` — record an action item (`councils:write`).
- `PATCH /api/v1/action-items/{id}` — move an action item's status (`councils:write`).

Reads need `councils:read`. A POST with an `Idempotency-Key` header is made once: a retry with the same key
(from the same key or user) answers 200 with what the first call made. Signed-in people may call it too,
seeing what the pages show them (others' meetings are 404). Start times without an offset are read in
the organisation's time zone.
"""

from datetime import timedelta

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyPrincipal
from accounts.models import User
from accounts.permissions import ANY_SIGNED_IN
from accounts.roles import Role, has_role
from core.validators import validate_sane_date
from councils.access import can_manage
from councils.models import ActionItem, Attendee, Council, Meeting
from councils.selectors.meetings import (
    action_items_of,
    action_items_visible_to,
    carried_over_items,
    council_meetings_may_view,
    meeting_ics,
    meetings_visible_to,
)
from councils.services.meetings import action_item_add, action_item_set_status, meeting_schedule

SCOPES = {"GET": "councils:read", "POST": "councils:write", "PATCH": "councils:write"}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional, up to 100 characters: a retry with the same key creates nothing and answers 200 "
    "with what the first call made.",
)


# --- Serializers -----------------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()


class AttendeeOutSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=Attendee.Role.choices)
    response = serializers.ChoiceField(choices=Attendee.Response.choices)
    responded_at = serializers.DateTimeField(allow_null=True)


class ActionItemOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    title = serializers.CharField()
    details = serializers.CharField()
    owner = PersonSerializer()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    closed_at = serializers.DateTimeField(allow_null=True)


class MeetingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.UUIDField(help_text="The calendar event's UID (with @rapport in the .ics).")
    council = serializers.CharField(source="council.kind")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    video_url = serializers.CharField()
    agenda = serializers.CharField()
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    sequence = serializers.IntegerField(help_text="The calendar SEQUENCE: bumped when the time changes.")


class MeetingDetailSerializer(MeetingOutSerializer):
    minutes = serializers.CharField()
    decisions = serializers.CharField()
    attendees = AttendeeOutSerializer(many=True)
    action_items = ActionItemOutSerializer(many=True)
    carried_over = ActionItemOutSerializer(many=True, help_text="Open items of the council's earlier meetings.")


class MeetingInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField(
        help_text="ISO 8601. Without an offset it is read in the organisation's time zone.",
        validators=[validate_sane_date],
    )
    duration_minutes = serializers.IntegerField(min_value=15, max_value=12 * 60, required=False)
    ends_at = serializers.DateTimeField(required=False, validators=[validate_sane_date])
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_url = serializers.URLField(required=False, allow_blank=True, default="")
    agenda = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")
    executives = serializers.ListField(
        child=serializers.EmailField(), required=False, default=list, max_length=50, help_text="Executives' emails."
    )

    def validate(self, data):
        if "duration_minutes" not in data and "ends_at" not in data:
            raise serializers.ValidationError({"duration_minutes": ["Give duration_minutes or ends_at."]})
        return data


class ActionItemInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.EmailField(required=False, allow_null=True, help_text="The owner's email: required.")
    due_on = serializers.DateField(validators=[validate_sane_date])
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ActionItemPatchSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


# --- Helpers ---------------------------------------------------------------------------------------------------


def _caller(request) -> tuple[User | None, str]:
    """(by, idempotency scope): a person, or an integration's key (by None)."""
    if isinstance(request.user, ApiKeyPrincipal):
        return None, f"key:{request.user.api_key.prefix}"
    return request.user, f"user:{request.user.pk}"


def _idempotency_key(request, scope: str) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise exceptions.ValidationError({"Idempotency-Key": ["At most 100 characters."]})
    return f"api:{scope}:{key}" if key else None


def _meetings(request):
    if isinstance(request.user, ApiKeyPrincipal):
        return Meeting.objects.select_related("council")
    return meetings_visible_to(user=request.user)


def _meeting_data(meeting: Meeting) -> dict:
    attendees = meeting.attendees.select_related("user").order_by("role", "user__email")
    data = dict(MeetingOutSerializer(meeting).data)
    data["minutes"] = meeting.minutes
    data["decisions"] = meeting.decisions
    data["attendees"] = AttendeeOutSerializer(attendees, many=True).data
    data["action_items"] = ActionItemOutSerializer(action_items_of(meeting=meeting), many=True).data
    data["carried_over"] = ActionItemOutSerializer(carried_over_items(meeting=meeting), many=True).data
    return data


def _user_by_email(email: str, field: str) -> User:
    found = User.objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise exceptions.ValidationError({field: [f"No one has the email {email}."]})
    return found


# --- Views -----------------------------------------------------------------------------------------------------


class CouncilMeetingListApi(APIView):
    """A council's meetings (newest first); POST schedules one."""

    allowed_roles = ANY_SIGNED_IN  # narrowed below: managers, members, executives (their meetings)
    required_scopes = SCOPES

    def _council(self, request, council: str) -> Council:
        found = Council.objects.filter(kind=council).first()
        person = not isinstance(request.user, ApiKeyPrincipal)
        if person and not (
            council_meetings_may_view(user=request.user, council=found)
            if found is not None
            else can_manage(request.user) or has_role(request.user, Role.EXECUTIVE)
        ):  # 403 whether the council exists or not
            raise exceptions.PermissionDenied("You may not see this council's meetings.")
        if found is None:
            raise exceptions.NotFound("No such council: brand or customer.")
        return found

    @extend_schema(
        operation_id="council_meetings_list",
        tags=["councils"],
        responses=MeetingOutSerializer(many=True),
        parameters=[OpenApiParameter("council", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Council.Kind.values)],
        description="The council's meetings, newest first (at most 200). Scope `councils:read`.",
    )
    def get(self, request, council: str):
        found = self._council(request, council)
        meetings = _meetings(request).filter(council=found).order_by("-starts_at")[:200]
        return Response(MeetingOutSerializer(meetings, many=True).data)

    @extend_schema(
        operation_id="council_meetings_create",
        tags=["councils"],
        request=MeetingInSerializer,
        responses={201: MeetingDetailSerializer, 200: MeetingDetailSerializer},
        parameters=[
            OpenApiParameter("council", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Council.Kind.values),
            IDEMPOTENCY_HEADER,
        ],
        description="Schedule a meeting: the council's current members and the executives named are invited. "
        "Scope `councils:write`; signed in, council managers only.",
    )
    def post(self, request, council: str):
        body = MeetingInSerializer(data=request.data)  # the body is read first: an oversized one is a 413
        body.is_valid(raise_exception=True)
        found = get_object_or_404(Council, kind=council)
        data = body.validated_data
        by, scope = _caller(request)
        executives = [_user_by_email(email, "executives") for email in data["executives"]]
        meeting, created = meeting_schedule(
            council=found,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            duration=timedelta(minutes=data["duration_minutes"]) if "duration_minutes" in data else None,
            place=data["place"],
            video_url=data["video_url"],
            agenda=data["agenda"],
            executives=executives,
            by=by,
            idempotency_key=_idempotency_key(request, scope),
        )
        return Response(_meeting_data(meeting), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MeetingDetailApi(APIView):
    """One meeting with its attendees and action items."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = SCOPES

    @extend_schema(operation_id="meetings_retrieve", tags=["councils"], responses=MeetingDetailSerializer)
    def get(self, request, pk: int):
        meeting = get_object_or_404(_meetings(request), pk=pk)
        return Response(_meeting_data(meeting))


class MeetingIcsApi(APIView):
    """The meeting as an iCalendar file."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = SCOPES

    @extend_schema(
        operation_id="meetings_ics",
        tags=["councils"],
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="RFC 5545, METHOD:PUBLISH")},
    )
    def get(self, request, pk: int):
        meeting = get_object_or_404(_meetings(request), pk=pk)
        response = HttpResponse(
            meeting_ics(meeting=meeting, request=request), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class MeetingActionItemApi(APIView):
    """POST records an action item of the meeting."""

    allowed_roles = ANY_SIGNED_IN  # the service allows managers and the council's chair
    required_scopes = SCOPES

    @extend_schema(
        operation_id="meeting_action_items_create",
        tags=["councils"],
        request=ActionItemInSerializer,
        responses={201: ActionItemOutSerializer, 200: ActionItemOutSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description="An owner (by email) and a due date are required. Scope `councils:write`.",
    )
    def post(self, request, pk: int):
        meeting = get_object_or_404(_meetings(request), pk=pk)
        body = ActionItemInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        owner = _user_by_email(data["owner"], "owner") if data.get("owner") else None
        by, scope = _caller(request)
        item, created = action_item_add(
            meeting=meeting,
            title=data["title"],
            owner=owner,
            due_on=data["due_on"],
            details=data["details"],
            by=by,
            idempotency_key=_idempotency_key(request, scope),
        )
        return Response(
            ActionItemOutSerializer(item).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ActionItemApi(APIView):
    """PATCH moves an action item's status (open, done, dropped)."""

    allowed_roles = ANY_SIGNED_IN  # the service allows the owner, managers and the council's chair
    required_scopes = SCOPES

    @extend_schema(
        operation_id="action_items_update",
        tags=["councils"],
        request=ActionItemPatchSerializer,
        responses=ActionItemOutSerializer,
        description="Closing (done, dropped) stamps closed_at; reopening clears it. Scope `councils:write`.",
    )
    def patch(self, request, pk: int):
        items = (
            ActionItem.objects.all()
            if isinstance(request.user, ApiKeyPrincipal)
            else action_items_visible_to(user=request.user)
        )
        item = get_object_or_404(items.select_related("owner", "council"), pk=pk)
        body = ActionItemPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        by, _ = _caller(request)
        with transaction.atomic():
            item = action_item_set_status(item=item, status=body.validated_data["status"], by=by)
        return Response(ActionItemOutSerializer(item).data)


urlpatterns = [
    path("councils/<str:council>/meetings", CouncilMeetingListApi.as_view(), name="council-meetings"),
    path("meetings/<int:pk>", MeetingDetailApi.as_view(), name="meeting"),
    path("meetings/<int:pk>/ics", MeetingIcsApi.as_view(), name="meeting-ics"),
    path("meetings/<int:pk>/action-items", MeetingActionItemApi.as_view(), name="meeting-action-items"),
    path("action-items/<int:pk>", ActionItemApi.as_view(), name="action-item"),
]
