"""The quarterly reports over the API (the issue's JSON contract).

GET /api/v1/councils/{council}/reports/{quarter}: the report the page shows (the published one, else a
draft computed now); GET /api/v1/councils/{council}/reports: the council's reports by quarter.
API keys need `reports:read`; signed-in users need councils.access.can_read_reports.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiKey
from accounts.permissions import ANY_SIGNED_IN
from councils.access import can_read_reports
from councils.models import Council
from councils.selectors.reports import report_council, report_for, report_quarter, report_row, reports_of

READ = {"GET": "reports:read"}
# Plain strings in the schema (their values in the help): enums named "status" collide across the API's components.
COUNCIL_HELP = " or ".join(f'"{kind}"' for kind in Council.Kind.values)
STATUS_HELP = '"draft" (computed now) or "published" (frozen when published)'

_side = {"count": serializers.IntegerField(), "share": serializers.FloatField()}
THEME = inline_serializer(
    "ConversationGapTheme",
    {
        "label": serializers.CharField(),
        "keywords": serializers.ListField(child=serializers.CharField(), help_text="Most telling first."),
        "side": serializers.ChoiceField(choices=["shared", "external_only", "internal_only"]),
        "external": inline_serializer(
            "ConversationGapExternal", {**_side, "net_sentiment": serializers.FloatField(allow_null=True)}
        ),
        "internal": inline_serializer("ConversationGapInternal", _side),
        "examples": inline_serializer(
            "ConversationGapExamples",
            {
                "external": serializers.ListField(child=serializers.CharField()),
                "internal": serializers.ListField(
                    child=serializers.CharField(), help_text="Never anonymous feedback from a group under 5."
                ),
            },
        ),
    },
)
REPORT = inline_serializer(
    "CouncilReport",
    {
        "council": serializers.CharField(help_text=COUNCIL_HELP),
        "quarter": serializers.CharField(help_text="Like 2026-Q3, in the organisation's time zone."),
        "status": serializers.CharField(help_text=STATUS_HELP),
        "published_at": serializers.DateTimeField(allow_null=True),
        "partial": serializers.BooleanField(help_text="The quarter is still in progress: figures up to today."),
        "computed_at": serializers.DateTimeField(),
        "notes": serializers.CharField(help_text="The council's notes (Markdown); empty when none."),
        "sections": serializers.DictField(
            help_text="The council's sections (brand: mentions, share_of_voice, themes, findings, program, "
            "top_advocates, response_time; customer: intranet_activity, ideas, feedback_themes, enps, spotlights; "
            'both: action_items). A figure with a previous quarter is {"current": x, "previous": y}.'
        ),
        "conversation_gap": inline_serializer(
            "ConversationGap",
            {
                "overlap": serializers.FloatField(min_value=0, max_value=1),
                "trend": inline_serializer(
                    "ConversationGapTrend",
                    {"quarter": serializers.CharField(), "overlap": serializers.FloatField()},
                    many=True,
                ),
                "themes": THEME,
            },
        ),
    },
)
REPORT_LISTED = inline_serializer(
    "CouncilReportListed",
    {
        "council": serializers.CharField(help_text=COUNCIL_HELP),
        "quarter": serializers.CharField(),
        "status": serializers.CharField(help_text=STATUS_HELP),
        "published_at": serializers.DateTimeField(allow_null=True),
        "partial": serializers.BooleanField(),
        "url": serializers.CharField(help_text="The report's API address."),
    },
    many=True,
)
COUNCIL = OpenApiParameter("council", str, OpenApiParameter.PATH, enum=Council.Kind.values)
QUARTER = OpenApiParameter("quarter", str, OpenApiParameter.PATH, description="Like 2026-Q3.")
ERRORS = {
    400: OpenApiResponse(description="The quarter is not written like 2026-Q3."),
    403: OpenApiResponse(description="Not a reader of this council's reports, or a key without reports:read."),
    404: OpenApiResponse(description="No such council, or a quarter that has not begun."),
}


def _council_for(request, kind: str) -> Council:
    council = report_council(kind)
    if not isinstance(request.auth, ApiKey) and not can_read_reports(request.user, council):
        raise PermissionDenied
    return council


class ReportApi(APIView):
    """One council's report for one quarter."""

    allowed_roles = ANY_SIGNED_IN  # then councils.access.can_read_reports
    required_scopes = READ

    @extend_schema(
        parameters=[COUNCIL, QUARTER],
        responses={200: REPORT, **ERRORS},
        operation_id="council_report_retrieve",
        tags=["councils"],
        description="The report the page shows: the published one (frozen) if it is published, else a draft "
        "computed now. A quarter in progress is a draft marked partial; one not begun is a 404.",
    )
    def get(self, request, council: str, quarter: str):
        found = _council_for(request, council)
        period = report_quarter(quarter, api=True)
        row = report_row(council=found, quarter=period)
        return Response(report_for(council=found, quarter=period) | {"notes": row.notes if row else ""})


class ReportListApi(APIView):
    """One council's reports: the last four quarters and every older one stored, newest first."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = READ
    pagination_class = None

    @extend_schema(
        parameters=[COUNCIL],
        responses={200: REPORT_LISTED, **ERRORS},
        operation_id="council_report_list",
        tags=["councils"],
    )
    def get(self, request, council: str):
        found = _council_for(request, council)
        return Response(
            [
                {
                    "council": found.kind,
                    "quarter": row["quarter"],
                    "status": row["status"],
                    "published_at": row["published_at"],
                    "partial": row["partial"],
                    "url": reverse("api:council-report", kwargs={"council": found.kind, "quarter": row["quarter"]}),
                }
                for row in reports_of(council=found)
            ]
        )


urlpatterns = [
    path("councils/<str:council>/reports", ReportListApi.as_view(), name="council-reports"),
    path("councils/<str:council>/reports/<str:quarter>", ReportApi.as_view(), name="council-report"),
]
