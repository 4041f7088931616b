from django.urls import path
from rest_framework.routers import SimpleRouter

from insights.api.findings import FindingDetailApi, FindingListApi
from insights.api.mentions import MentionListApi, MentionsBulkApi
from insights.api.responses import MentionResponseApi, ResponseTimesApi
from insights.api.rollups import RollupsApi
from insights.api.sentiment import (
    MentionLabelApi,
    SentimentActivateApi,
    SentimentModelListApi,
    SentimentReviewQueueApi,
    SentimentTrainApi,
)
from insights.api.tracking import ChannelViewSet, FeedViewSet, TermViewSet

router = SimpleRouter(trailing_slash=False)
router.register("terms", TermViewSet, basename="terms")
router.register("channels", ChannelViewSet, basename="channels")
router.register("feeds", FeedViewSet, basename="feeds")

urlpatterns = [
    path("mentions", MentionListApi.as_view(), name="mentions"),
    path("mentions/bulk", MentionsBulkApi.as_view(), name="mentions-bulk"),
    path("mentions/<int:pk>/response", MentionResponseApi.as_view(), name="mention-response"),
    path("rollups", RollupsApi.as_view(), name="rollups"),
    path("findings", FindingListApi.as_view(), name="findings"),
    path("findings/<int:pk>", FindingDetailApi.as_view(), name="finding-detail"),
    path("response-times", ResponseTimesApi.as_view(), name="response-times"),
    path("mentions/<int:pk>/label", MentionLabelApi.as_view(), name="mention-label"),
    path("sentiment/train", SentimentTrainApi.as_view(), name="sentiment-train"),
    path("sentiment/models", SentimentModelListApi.as_view(), name="sentiment-models"),
    path("sentiment/review-queue", SentimentReviewQueueApi.as_view(), name="sentiment-review-queue"),
    path("sentiment/activate", SentimentActivateApi.as_view(), name="sentiment-activate"),
    *router.urls,
]
