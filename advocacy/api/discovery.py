"""GET /api/v1/advocates/candidates: advocate discovery's ranked candidates (scope program:read)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import MANAGE_PROGRAM
from advocacy.selectors.discovery import LIMIT_MAX, SCORE_FORMULA, advocate_candidates

LIMIT_DEFAULT = 50


class CandidateQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=LIMIT_MAX,
        default=LIMIT_DEFAULT,
        help_text=f"1 to {LIMIT_MAX}; {LIMIT_DEFAULT} if absent.",
    )


class CandidateAuthorSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="The channel's slug.")
    handle = serializers.CharField()


class CandidateMarksSerializer(serializers.Serializer):
    ambassador = serializers.BooleanField(help_text="Holds a seat (active or paused member).")
    waitlisted = serializers.BooleanField()
    invited = serializers.BooleanField(help_text="A pending invitation.")


class CandidateSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"a:<channel>:<handle>" for one author, "p:<id>" for a merged person.')
    name = serializers.CharField()
    handles = serializers.ListField(child=serializers.CharField())
    channels = serializers.ListField(child=serializers.CharField(), help_text="Channel slugs.")
    authors = serializers.SerializerMethodField()
    positive_mentions = serializers.IntegerField()
    average_sentiment = serializers.FloatField(allow_null=True, help_text="-1 to 1, over their scored mentions.")
    reach = serializers.IntegerField(help_text="The largest audience of one of their mentions.")
    engagement = serializers.IntegerField(help_text="Likes + shares + comments of their positive mentions.")
    last_mention_at = serializers.DateTimeField(help_text="Their last positive mention.")
    score = serializers.FloatField()
    marks = serializers.SerializerMethodField()

    @extend_schema_field(CandidateAuthorSerializer(many=True))
    def get_authors(self, candidate) -> list[dict]:
        return CandidateAuthorSerializer(
            [{"channel": slug, "handle": handle} for slug, handle in candidate.authors], many=True
        ).data

    @extend_schema_field(CandidateMarksSerializer)
    def get_marks(self, candidate) -> dict:
        return {"ambassador": candidate.ambassador, "waitlisted": candidate.waitlisted, "invited": candidate.invited}


class CandidatesOutSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    score_formula = serializers.CharField()
    candidates = CandidateSerializer(many=True)


class CandidateListApi(APIView):
    """Mention authors who keep speaking well of the brand, best first, with their marks."""

    required_permission = MANAGE_PROGRAM
    required_scopes = {"GET": "program:read"}

    @extend_schema(
        parameters=[CandidateQuerySerializer],
        responses=CandidatesOutSerializer,
        operation_id="advocates_candidates_list",
        description="Authors of online mentions of the brand or its products with at least "
        "ADVOCACY_CANDIDATE_MIN_POSITIVE positive ones; merged people count as one, hidden authors never appear.",
    )
    def get(self, request):
        query = CandidateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        found = advocate_candidates(limit=limit)
        return Response(
            CandidatesOutSerializer({"limit": limit, "score_formula": SCORE_FORMULA, "candidates": found}).data
        )


urlpatterns = [path("advocates/candidates", CandidateListApi.as_view(), name="advocate-candidates")]
