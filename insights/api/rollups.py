"""GET /api/v1/rollups: chart-ready series, read from the rollups."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.roles import Role
from core.validators import validate_sane_date
from insights.selectors.rollups import BUCKETS, GROUP_BY, SeriesRequest, rollup_series_json


class RollupQuerySerializer(serializers.Serializer):
    bucket = serializers.ChoiceField(choices=BUCKETS)
    group_by = serializers.ChoiceField(choices=GROUP_BY)
    start = serializers.DateField(help_text="First day, YYYY-MM-DD (1900–2200).", validators=[validate_sane_date])
    end = serializers.DateField(
        help_text="Last day (included), YYYY-MM-DD. At most 92 days of hours, 3,660 of days, 9,150 of weeks, "
        "months or quarters.",
        validators=[validate_sane_date],
    )
    tz = serializers.CharField(required=False, help_text="Area/City; defaults to the organisation's time zone.")
    term = serializers.CharField(required=False, help_text="Only this term (its name).")
    channel = serializers.CharField(required=False, help_text="Only this channel (its slug).")


class RollupPointSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="The bucket's start, ISO 8601 in the asked time zone.")
    count = serializers.IntegerField()
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    unscored = serializers.IntegerField()
    net_sentiment = serializers.FloatField(
        allow_null=True, help_text="(positive − negative) / scored mentions; null when none was scored."
    )
    reach = serializers.IntegerField()
    engagement = serializers.IntegerField()


class RollupSeriesSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Term name, channel slug or label.")
    points = RollupPointSerializer(many=True)


class RollupsOutSerializer(serializers.Serializer):
    bucket = serializers.CharField()
    group_by = serializers.CharField()
    tz = serializers.CharField()
    series = RollupSeriesSerializer(many=True)


class RollupsApi(APIView):
    """Integrations (scope mentions:read), insights staff and executives: chart-ready series."""

    allowed_roles = [Role.INSIGHTS_STAFF, Role.EXECUTIVE]
    required_scopes = {"GET": "mentions:read"}

    @extend_schema(
        parameters=[RollupQuerySerializer],
        responses=RollupsOutSerializer,
        operation_id="rollups_retrieve",
        tags=["mentions"],
        description="Every bucket of the range is present, zeros included. Reads rollups, never raw mentions.",
    )
    def get(self, request):
        query = RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        body = rollup_series_json(
            SeriesRequest(
                bucket=data["bucket"],
                group_by=data["group_by"],
                start=data["start"],
                end=data["end"],
                tz=data.get("tz") or settings.TIME_ZONE,
                term=data.get("term"),
                channel=data.get("channel"),
            )
        )
        # Already JSON (and cached as such): built once per rollup pass, not per request.
        return HttpResponse(body, content_type="application/json")
