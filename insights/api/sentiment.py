"""Learned sentiment over the API: label a mention, train now, list the versions, roll back.

Thin over insights.services.corrections (a label is a correction by a person) and
insights.services.sentiment_models (train, activate); the list reads insights.selectors.sentiment.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core.api_user import acting_user
from core.pagination import CursorPagination
from insights.api.mentions import MentionOutSerializer
from insights.models import Mention
from insights.selectors.mentions import mentions_for_api
from insights.selectors.review import REVIEW_QUEUE_MAX, sentiment_review_queue
from insights.selectors.sentiment import sentiment_labels_count, sentiment_models, sentiment_rescore_progress
from insights.sentiment import get_scorer
from insights.services.corrections import STAFF_LABELS, mention_relabel
from insights.services.sentiment_models import sentiment_model_activate, sentiment_train

# --- POST /api/v1/mentions/{id}/label ----------------------------------------


class LabelInSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=[(label, label) for label in STAFF_LABELS])


class MentionLabelApi(APIView):
    """Integrations (scope mentions:write) and insights staff correct a mention's sentiment, as the key's owner."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"POST": "mentions:write"}

    @extend_schema(
        request=LabelInSerializer,
        responses={200: MentionOutSerializer},
        operation_id="mentions_label_create",
        tags=["mentions"],
        description="Records a correction by the API key's owner (or the signed-in person): the label wins over the "
        "model's in every count and no model ever overwrites it; it is also a label the learned scorer trains on. "
        "Answers the mention as GET /api/v1/mentions shows it. A key that nobody owns (made by a command) "
        "gets 403: a correction needs a person to answer for it.",
    )
    def post(self, request, pk: int):
        mention = get_object_or_404(Mention, pk=pk)
        data = LabelInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        by = acting_user(request)
        if by is None:
            raise exceptions.PermissionDenied(
                "This API key belongs to nobody: create one on the API keys page, so that its corrections are yours."
            )
        mention_relabel(mention=mention, label=data.validated_data["label"], by=by)
        return Response(MentionOutSerializer(mentions_for_api().get(pk=mention.pk)).data)


# --- GET /api/v1/sentiment/review-queue ----------------------------------------

REVIEW_QUEUE_DEFAULT = 50


class ReviewQueueInSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False,
        default=REVIEW_QUEUE_DEFAULT,
        min_value=1,
        max_value=REVIEW_QUEUE_MAX,
        error_messages={
            "invalid": f"limit must be a whole number from 1 to {REVIEW_QUEUE_MAX}.",
            "min_value": f"limit must be a whole number from 1 to {REVIEW_QUEUE_MAX}.",
            "max_value": f"limit must be a whole number from 1 to {REVIEW_QUEUE_MAX}.",
            "max_string_length": f"limit must be a whole number from 1 to {REVIEW_QUEUE_MAX}.",
        },
    )


class ReviewQueueOutSerializer(serializers.Serializer):
    scorer = serializers.CharField(help_text='Whose uncertainty ranked them: "vader" or "learned v<version>".')
    results = MentionOutSerializer(many=True, help_text="Least sure first, as GET /api/v1/mentions shows them.")


class SentimentReviewQueueApi(APIView):
    """Integrations (scope mentions:read) and insights staff: the unlabelled mentions a label would teach most."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"GET": "mentions:read"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "limit", int, description=f"How many, 1–{REVIEW_QUEUE_MAX} (default {REVIEW_QUEUE_DEFAULT})."
            )
        ],
        responses={200: ReviewQueueOutSerializer},
        operation_id="sentiment_review_queue_list",
        tags=["sentiment"],
        description="The `limit` mentions that no person labelled (scored in a language the model reads) whose "
        "label would teach the model most: the smallest margin between the two most likely classes first (the "
        "active version's calibrated probabilities, or VADER's confidence when none is active), with no two "
        "near-duplicate texts and no author or tracked term filling the page. Label them with "
        "POST /api/v1/mentions/{id}/label. A limit outside 1–500 is a 400.",
    )
    def get(self, request):
        data = ReviewQueueInSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        mentions = sentiment_review_queue(limit=data.validated_data["limit"])
        scorer = get_scorer()
        return Response(ReviewQueueOutSerializer({"scorer": scorer.name, "results": mentions}).data)


# --- Versions -------------------------------------------------------------


class PerClassSerializer(serializers.Serializer):
    precision = serializers.FloatField()
    recall = serializers.FloatField()
    f1 = serializers.FloatField()
    support = serializers.IntegerField(help_text="Human labels of this class.")


class ConfusionSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    matrix = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Rows: the human label; columns: the model's (held-out folds), in the order of `labels`.",
    )


class ReliabilitySerializer(serializers.Serializer):
    vars()["from"] = serializers.FloatField(help_text="The bin's lowest confidence.")  # "from" is a keyword
    to = serializers.FloatField()
    count = serializers.IntegerField()
    confidence = serializers.FloatField(help_text="The mean stated confidence of the predictions in the bin.")
    accuracy = serializers.FloatField(help_text="How many of them were right: close to `confidence` if calibrated.")


class RescoreSerializer(serializers.Serializer):
    rescored = serializers.IntegerField(help_text="Unlabelled mentions re-scored with this version so far.")
    to_rescore = serializers.IntegerField(help_text="Unlabelled mentions it has to re-score (grows when ingest "
        "scores new mentions with VADER because this version would slow it down).")  # fmt: skip
    done = serializers.BooleanField()


class SentimentModelOutSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="pk")
    trained_at = serializers.DateTimeField()
    labels = serializers.IntegerField(help_text="Human labels it learned from.")
    cv_accuracy = serializers.FloatField(help_text="Accuracy on held-out folds.")
    macro_f1 = serializers.FloatField()
    baseline = serializers.CharField(help_text='What it had to beat on the same labels: "vader" or "v<version>".')
    baseline_accuracy = serializers.FloatField()
    folds = serializers.IntegerField(source="metrics.folds")
    per_class = serializers.DictField(child=PerClassSerializer(), source="metrics.per_class")
    confusion = ConfusionSerializer(source="metrics.confusion")
    reliability = ReliabilitySerializer(many=True, source="metrics.reliability")
    active = serializers.BooleanField(source="is_active")
    activated_at = serializers.DateTimeField(allow_null=True, help_text="When it last became active.")
    reason = serializers.CharField(help_text="Why it became active, or why not.")
    speed_ratio = serializers.FloatField(
        allow_null=True,
        help_text="Its throughput over VADER's, measured when it first became active: below "
        "INSIGHTS_SENTIMENT_INGEST_MIN_SPEED (0.3), bulk ingest scores with VADER and re-scoring catches up.",
    )
    rescore = serializers.SerializerMethodField()

    @extend_schema_field(RescoreSerializer(allow_null=True))
    def get_rescore(self, version) -> dict | None:
        """Only the active version has a re-scoring under way (or done): one read, for one row of the page."""
        return RescoreSerializer(sentiment_rescore_progress(version.pk)).data if version.is_active else None


class VersionPagination(CursorPagination):
    ordering = "-id"


class SentimentModelListApi(ListAPIView):
    """Integrations (scope mentions:read) and insights staff: the learned scorer's versions, newest first."""

    # mentions:read, not insights:admin: whoever reads the labels should be able to see how far to trust them;
    # the metrics hold no mention text and no person's name.
    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"GET": "mentions:read"}
    serializer_class = SentimentModelOutSerializer
    pagination_class = VersionPagination

    def get_queryset(self):
        return sentiment_models()

    @extend_schema(
        operation_id="sentiment_models_list",
        tags=["sentiment"],
        description="Each version with its cross-validated metrics (per-class precision and recall, the confusion "
        "matrix, the reliability table of its calibrated confidence on held-out folds) and whether it is active. "
        "The active one carries `rescore`, the progress of re-scoring the mentions no person labelled with it "
        "(null on the others). No version active: VADER scores.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TrainOutSerializer(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True, help_text="Null when the training was queued.")
    labels = serializers.IntegerField()
    cv_accuracy = serializers.FloatField(allow_null=True)
    active = serializers.BooleanField()
    reason = serializers.CharField()


class SentimentTrainApi(APIView):
    """Integrations (scope insights:admin) and insights staff train a sentiment version now."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"POST": "insights:admin"}

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(TrainOutSerializer, description="Trained: active if it beat the active scorer."),
            202: OpenApiResponse(TrainOutSerializer, description="Over 10,000 labels: queued, trained in background."),
            409: OpenApiResponse(description="A training is already running."),
        },
        operation_id="sentiment_train_create",
        tags=["sentiment"],
        description="Trains on every mention whose label a person set (in a language the model reads), in the "
        "request for up to 10,000 labels. The new version becomes active only if its cross-validated accuracy "
        "beats the active scorer's on the same labels and folds (VADER's, or the active version's); otherwise it "
        "is stored inactive and `reason` says why. 400 when there are too few labels to learn from.",
    )
    def post(self, request):
        labels = sentiment_labels_count()
        if labels > settings.INSIGHTS_SENTIMENT_SYNC_MAX_LABELS:
            from insights.tasks import sentiment_train_nightly_task

            sentiment_train_nightly_task.delay()
            body = {"version": None, "labels": labels, "cv_accuracy": None, "active": False}
            reason = f"Queued: over {settings.INSIGHTS_SENTIMENT_SYNC_MAX_LABELS:,} labels train in the background."
            return Response(TrainOutSerializer(body | {"reason": reason}).data, status=status.HTTP_202_ACCEPTED)
        version = sentiment_train(by=acting_user(request))
        body = {
            "version": version.pk,
            "labels": version.labels,
            "cv_accuracy": version.cv_accuracy,
            "active": version.is_active,
            "reason": version.reason,
        }
        return Response(TrainOutSerializer(body).data)


class ActivateInSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=2**63 - 1, help_text="A stored version; null goes back to VADER."
    )


class ActiveOutSerializer(serializers.Serializer):
    scorer = serializers.CharField(help_text='"vader" or "learned v<version>".')
    active = SentimentModelOutSerializer(allow_null=True)


class SentimentActivateApi(APIView):
    """Integrations (scope insights:admin) and insights staff roll back (or forward) to any version, or to VADER."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = {"POST": "insights:admin"}

    @extend_schema(
        request=ActivateInSerializer,
        responses={200: ActiveOutSerializer},
        operation_id="sentiment_activate_create",
        tags=["sentiment"],
        description="Makes a stored version the active scorer (every worker notices within seconds), or VADER with "
        '`{"version": null}`. Labels people set are never touched.',
    )
    def post(self, request):
        data = ActivateInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        active = sentiment_model_activate(version=data.validated_data["version"], by=acting_user(request))
        body = {"scorer": f"learned v{active.pk}" if active else "vader", "active": active}
        return Response(ActiveOutSerializer(body).data)
