"""Mentions over the API: bulk ingestion and the list. Thin over the ingest service and the mention selectors."""

from datetime import UTC

import django_filters
from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core.pagination import CursorPagination
from core.parsers import BulkJSONParser
from core.validators import validate_sane_date
from insights.models import Mention, Sentiment
from insights.selectors.mentions import mentions_for_api
from insights.services.ingest import mentions_ingest

# --- POST /api/v1/mentions/bulk --------------------------------------------


class AuthorSerializer(serializers.Serializer):
    handle = serializers.CharField(required=False, max_length=255)
    name = serializers.CharField(required=False, max_length=255)
    reach = serializers.IntegerField(required=False, min_value=0)


class EngagementSerializer(serializers.Serializer):
    likes = serializers.IntegerField(required=False, min_value=0)
    shares = serializers.IntegerField(required=False, min_value=0)
    comments = serializers.IntegerField(required=False, min_value=0)


class MentionInSerializer(serializers.Serializer):
    """The bulk contract, for the schema; items are validated one by one by the service."""

    source = serializers.CharField(max_length=64)
    external_id = serializers.CharField(max_length=128, help_text="A string or an integer; unique per source.")
    channel = serializers.SlugField(help_text="A channel slug, e.g. twitter, reddit, call-centre.")
    text = serializers.CharField(max_length=10_000)
    published_at = serializers.DateTimeField(help_text="ISO 8601 with an offset, e.g. 2026-11-02T14:03:00+01:00.")
    url = serializers.URLField(required=False, max_length=2000)
    language = serializers.CharField(required=False, max_length=16, help_text="e.g. en, es, pt-BR")
    author = AuthorSerializer(required=False)
    engagement = EngagementSerializer(required=False)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    errors = inline_serializer(
        "BulkItemError", many=True, fields={"index": serializers.IntegerField(), "errors": serializers.DictField()}
    )


class MentionsBulkApi(APIView):
    """Integrations (scope mentions:write) and insights staff send up to 5,000 mentions at once."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"POST": "mentions:write"}
    parser_classes = [BulkJSONParser]  # up to INSIGHTS_BULK_MAX_BYTES, beyond Django's usual body limit

    @extend_schema(
        request=MentionInSerializer(many=True),
        responses={200: BulkResultSerializer},
        operation_id="mentions_bulk_create",
        tags=["mentions"],
        description="Good items are stored, bad ones come back by index with the reason. "
        "Idempotent on (source, external_id): re-sending creates nothing new.",
    )
    def post(self, request):
        items = request.data
        if not isinstance(items, list):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON array of mentions."]})
        if len(items) > settings.INSIGHTS_BULK_MAX_ITEMS:
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        f"At most {settings.INSIGHTS_BULK_MAX_ITEMS:,} items per request (got {len(items):,})."
                    ]
                }
            )
        return Response(mentions_ingest(items).as_dict())


# --- GET /api/v1/mentions --------------------------------------------------


class UtcDateTimeFilter(django_filters.DateTimeFilter):
    """Compares in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows. Years 1900–2200:
    a moment of year 1 or 9999 with an offset cannot even be moved to UTC (a 400 naming the parameter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_sane_date])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, value.astimezone(UTC) if value else value)


class MentionFilter(django_filters.FilterSet):
    channel = django_filters.CharFilter(field_name="channel__slug")
    term = django_filters.CharFilter(field_name="terms__name")
    label = django_filters.ChoiceFilter(field_name="sentiment_label", choices=Sentiment.choices)
    start = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte", label="Published at or after")
    end = UtcDateTimeFilter(field_name="published_at", lookup_expr="lt", label="Published before")
    text = django_filters.CharFilter(field_name="text", lookup_expr="icontains")
    source = django_filters.CharFilter()
    external_id = django_filters.CharFilter()

    class Meta:
        model = Mention
        fields = ["channel", "term", "label", "start", "end", "text", "source", "external_id"]


class MentionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    external_id = serializers.CharField()
    channel = serializers.CharField(source="channel.slug")
    text = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField()
    language = serializers.CharField()
    author = serializers.SerializerMethodField()
    engagement = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()
    sentiment_score = serializers.FloatField(allow_null=True)
    sentiment_label = serializers.CharField()
    sentiment_confidence = serializers.FloatField(allow_null=True)
    sentiment_set_by = serializers.SerializerMethodField()
    sentiment_set_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(AuthorSerializer)
    def get_author(self, mention) -> dict:
        return {"handle": mention.author_handle, "name": mention.author_name, "reach": mention.author_reach}

    @extend_schema_field(EngagementSerializer)
    def get_engagement(self, mention) -> dict:
        return {"likes": mention.likes, "shares": mention.shares, "comments": mention.comments}

    def get_terms(self, mention) -> list[str]:
        return sorted(term.name for term in mention.terms.all())

    def get_sentiment_set_by(self, mention) -> str:
        """'model', or the name of the staff member who corrected the label."""
        return "model" if mention.sentiment_set_by is None else mention.sentiment_set_by.get_full_name()


class MentionPagination(CursorPagination):
    ordering = ("-published_at", "-id")


class MentionListApi(ListAPIView):
    """Integrations (scope mentions:read) and insights staff: mentions, newest first, by cursor."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"GET": "mentions:read"}
    serializer_class = MentionOutSerializer
    pagination_class = MentionPagination
    filterset_class = MentionFilter

    def get_queryset(self):
        return mentions_for_api()

    @extend_schema(operation_id="mentions_list", tags=["mentions"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
