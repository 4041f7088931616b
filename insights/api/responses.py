"""Response time over the API: an integration reports a first response; anyone with mentions:read reads the figures.

POST /api/v1/mentions/{id}/response goes through insights.services.triage.mention_respond (the first response
counts); GET /api/v1/response-times reads insights.selectors.responses.response_times (rollups).
"""

from contextlib import suppress
from datetime import UTC

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.roles import Role
from core.api_user import acting_user
from core.validators import validate_sane_date
from insights.models import Mention
from insights.selectors.responses import GROUP_BY, MAX_DAYS, response_times
from insights.services.triage import mention_respond

# --- POST /api/v1/mentions/{id}/response -------------------------------------


class ResponseInSerializer(serializers.Serializer):
    responded_at = serializers.CharField(
        max_length=64, help_text="When the first answer went out: ISO 8601 with its offset (2026-05-04T10:30:00+02:00)."
    )
    by = serializers.EmailField(
        required=False, help_text="The email of the Rapport user who answered; the API key's owner when absent."
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000, help_text="A link to the reply.")

    def validate_responded_at(self, value: str):
        moment = None
        with suppress(ValueError):  # well-formed but impossible (month 13, an offset of a day): refused below
            moment = parse_datetime(value.strip())
        if moment is None:
            raise serializers.ValidationError("Give an ISO 8601 time with its offset, e.g. 2026-05-04T10:30:00+02:00.")
        if moment.tzinfo is None:
            raise serializers.ValidationError("Give the time with its UTC offset, e.g. 2026-05-04T10:30:00+02:00.")
        try:
            validate_sane_date(moment)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return moment.astimezone(UTC)

    def validate_by(self, value: str) -> User:
        user = User.objects.filter(email__iexact=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("No active Rapport user has this email.")
        return user


class ResponseOutSerializer(serializers.Serializer):
    mention = serializers.IntegerField(source="pk", help_text="The mention's id.")
    responded_at = serializers.DateTimeField(source="first_response_at", help_text="The first response.")
    by = serializers.SerializerMethodField(help_text="The email of who answered; null when nobody is known.")
    url = serializers.CharField(source="first_response_url", help_text="A link to the reply; empty when none.")
    status = serializers.ChoiceField(choices=Mention.Status.choices, help_text="The mention's status now.")

    def get_by(self, mention) -> str | None:
        return mention.first_response_by.email if mention.first_response_by else None


class MentionResponseApi(APIView):
    """Integrations (scope mentions:write) and insights staff report that a mention was answered."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"POST": "mentions:write"}

    @extend_schema(
        request=ResponseInSerializer,
        responses={
            201: OpenApiResponse(ResponseOutSerializer, description="Recorded: this was the mention's first response."),
            200: OpenApiResponse(
                ResponseOutSerializer, description="Already answered: the stored first response, unchanged."
            ),
        },
        operation_id="mentions_response_create",
        tags=["mentions"],
        description="Idempotent: the first response counts; a repeat (even with other values) changes nothing and "
        "answers 200 with the stored one. `responded_at` must carry an offset, and be neither before the mention "
        "was published nor in the future. A first response also marks the mention responded.",
    )
    def post(self, request, pk: int):
        mention = get_object_or_404(Mention, pk=pk)
        data = ResponseInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        by = fields["by"] if "by" in fields else acting_user(request)
        stored, first = mention_respond(
            mention=mention, by=by, at=fields["responded_at"], url=fields.get("url", "")
        )  # a time before publication or in the future: the service's ValidationError, a 400 naming responded_at
        stored = Mention.objects.select_related("first_response_by").get(pk=stored.pk)
        return Response(ResponseOutSerializer(stored).data, status=status.HTTP_201_CREATED if first else 200)


# --- GET /api/v1/response-times ----------------------------------------------


class ResponseTimesQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day, YYYY-MM-DD (the organisation's time zone).")
    end = serializers.DateField(help_text=f"Last day (included), YYYY-MM-DD; at most {MAX_DAYS} days from start.")
    group_by = serializers.ChoiceField(choices=GROUP_BY)

    def validate_start(self, value):
        return _sane(value)

    def validate_end(self, value):
        return _sane(value)


def _sane(value):
    try:
        validate_sane_date(value)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc
    return value


class ResponseTimesGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A channel slug, a week's Monday (YYYY-MM-DD) or a department slug.")
    mentions = serializers.IntegerField(help_text="Mentions published in the range that need a response.")
    responded = serializers.IntegerField(help_text="Of those, how many have a first response.")
    median_minutes = serializers.IntegerField(allow_null=True, help_text="Median first-response time; null if none.")
    p90_minutes = serializers.IntegerField(allow_null=True, help_text="90th percentile; null when none responded.")
    within_target = serializers.IntegerField(
        help_text="Responded by their due time; a mention with no target counts once responded."
    )
    overdue = serializers.IntegerField(help_text="No response yet and past their due time now.")


class ResponseTimesOutSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.ChoiceField(choices=GROUP_BY)
    groups = ResponseTimesGroupSerializer(many=True)


class ResponseTimesApi(APIView):
    """Integrations (scope mentions:read), insights staff and executives: first-response times."""

    allowed_roles = [Role.INSIGHTS_STAFF, Role.EXECUTIVE]
    required_scopes = {"GET": "mentions:read"}

    @extend_schema(
        parameters=[ResponseTimesQuerySerializer],
        responses=ResponseTimesOutSerializer,
        operation_id="response_times_retrieve",
        tags=["mentions"],
        description="Mentions count by the day they were published (the organisation's time zone), and only those "
        "that need a response (status not no_action). Percentiles are nearest-rank over the responded mentions, "
        "in whole minutes, exact under an hour and low by under 8.4 % above it (a histogram's steps). By week: "
        "every week of the range, keyed by its Monday (the first and last hold only their days in the range). "
        "By channel or department: those with mentions, by slug; by department, only routed mentions. "
        "Reads the response-time rollups (recounted every rollup pass); `overdue` is as of now.",
    )
    def get(self, request):
        query = ResponseTimesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        groups = response_times(start=data["start"], end=data["end"], group_by=data["group_by"])
        return Response(
            ResponseTimesOutSerializer(
                {"start": data["start"], "end": data["end"], "group_by": data["group_by"], "groups": groups}
            ).data
        )
