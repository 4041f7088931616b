"""GET /api/v1/pulse: the eNPS pulse, aggregated per quarter and per department, small groups hidden.

API keys need the scope `intranet:read`; signed-in employees (and admins) may read it too.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core.validators import validate_sane_date
from intranet.feedback_selectors import min_group, org_today, pulse_trend, quarter_bounds

MAX_DAYS = 3660  # about ten years of quarters

HIDDEN = (
    "Groups (a quarter, or a department in it) with fewer than INTRANET_REPORT_MIN_GROUP (5) answers are "
    "hidden: `responses`, `promoters`, `passives`, `detractors` and `enps` are all null and `hidden` is true. "
    "A larger department is hidden the same way where showing it would let its quarter's total minus the "
    "shown departments reveal a smaller one."
)


class PulseQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day, YYYY-MM-DD.", validators=[validate_sane_date])
    end = serializers.DateField(help_text="Last day (included), YYYY-MM-DD.", validators=[validate_sane_date])

    def validate(self, data):
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": ["Must be on or after start."]})
        if (data["end"] - data["start"]).days > MAX_DAYS:
            raise serializers.ValidationError({"end": [f"At most {MAX_DAYS} days after start."]})
        return data


class PulseGroupSerializer(serializers.Serializer):
    responses = serializers.IntegerField(allow_null=True, help_text="Answers; null when hidden.")
    promoters = serializers.IntegerField(allow_null=True, help_text="Scores 9–10; null when hidden.")
    passives = serializers.IntegerField(allow_null=True, help_text="Scores 7–8; null when hidden.")
    detractors = serializers.IntegerField(allow_null=True, help_text="Scores 0–6; null when hidden.")
    enps = serializers.IntegerField(
        allow_null=True, help_text="% promoters − % detractors, rounded, −100 to 100; null when hidden."
    )
    hidden = serializers.BooleanField(help_text="True when the group is hidden to protect a small group.")


class PulseDepartmentSerializer(PulseGroupSerializer):
    department = serializers.CharField(
        allow_null=True, help_text="The department's slug, as the people answering chose to say it; null: not said."
    )


class PulseQuarterSerializer(PulseGroupSerializer):
    quarter = serializers.CharField(help_text="Like 2026-Q3, in the organisation's time zone.")
    start = serializers.DateField(help_text="The quarter's first day.")
    end = serializers.DateField(help_text="The quarter's last day.")
    departments = PulseDepartmentSerializer(many=True)


class PulseOutSerializer(serializers.Serializer):
    min_group = serializers.IntegerField(help_text="Groups under this many answers are hidden.")
    quarters = PulseQuarterSerializer(many=True)


def _group(group) -> dict:
    return {
        "responses": group.responses,
        "promoters": group.promoters,
        "passives": group.passives,
        "detractors": group.detractors,
        "enps": group.enps,
        "hidden": group.responses is None,
    }


class PulseApi(APIView):
    """Integrations (scope intranet:read) and signed-in employees: the eNPS pulse, aggregated."""

    allowed_roles = (Role.EMPLOYEE,)
    required_scopes = {"GET": "intranet:read"}

    @extend_schema(
        operation_id="pulse_retrieve",
        tags=["intranet"],
        parameters=[PulseQuerySerializer],
        responses={
            200: OpenApiResponse(PulseOutSerializer, description=HIDDEN),
            400: OpenApiResponse(description="A missing or malformed date, or end before start."),
        },
        description=(
            "The eNPS pulse (“How likely are you to recommend Carl's Soda as a place to work?”, 0–10) per quarter "
            "and per department. Every quarter that overlaps start–end and is over is reported whole, never cut to "
            "the days asked (two ranges could otherwise be subtracted); the quarter in progress is not reported "
            f"until it ends. {HIDDEN}"
        ),
    )
    def get(self, request):
        query = PulseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        trend = pulse_trend(start=query.validated_data["start"], end=query.validated_data["end"], today=org_today())
        quarters = []
        for q in trend:
            first, last = quarter_bounds(q.quarter)
            quarters.append(
                {
                    "quarter": q.quarter,
                    "start": first,
                    "end": last,
                    **_group(q.overall),
                    "departments": [{"department": d.slug, **_group(d)} for d in q.departments],
                }
            )
        return Response(PulseOutSerializer({"min_group": min_group(), "quarters": quarters}).data)
