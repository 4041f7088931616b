"""Ideas over the API (session auth: the signed-in employee is the author and the voter).

`GET/POST /api/v1/ideas`, `POST/DELETE /api/v1/ideas/{id}/vote`. API keys never see ideas: no scope
opens them (`intranet:read` is for posts and pulse only), so a key gets 403.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core.pagination import Pagination
from intranet.idea_selectors import SORTS, ideas_list
from intranet.idea_services import idea_submit, idea_unvote, idea_vote
from intranet.models import Idea

NO_API_KEYS: dict = {}
# Marks the operations in the schema as session-only (dashboard/tests/test_bad_input.py signs in for them).
SESSION_ONLY = {"x-session-only": True}


class IdeaInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000)
    category = serializers.ChoiceField(choices=Idea.Category.choices, default=Idea.Category.OTHER)


class IdeaOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=Idea.Category.choices)
    status = serializers.ChoiceField(choices=Idea.Status.choices)
    author = serializers.CharField(source="author.get_full_name", help_text="The author's name.")
    vote_count = serializers.IntegerField()
    decline_reason = serializers.CharField()
    official_response = serializers.CharField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    created_at = serializers.DateTimeField()


class IdeaVoteOutSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField()


class IdeaPagination(Pagination):
    page_size = 25
    max_page_size = 100


def _choice(request, name: str, allowed) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        raise exceptions.ValidationError({name: [f"One of {', '.join(allowed)}."]})
    return value


class IdeaListApi(ListAPIView):
    """Employees list ideas (hot, top or new) and submit one."""

    allowed_roles = (Role.EMPLOYEE,)
    required_scopes = NO_API_KEYS
    serializer_class = IdeaOutSerializer
    pagination_class = IdeaPagination

    def get_queryset(self):
        return ideas_list(
            sort=_choice(self.request, "sort", SORTS) or "hot",
            category=_choice(self.request, "category", Idea.Category.values),
            status=_choice(self.request, "status", Idea.Status.values),
        )

    @extend_schema(
        operation_id="ideas_list",
        tags=["ideas"],
        extensions=SESSION_ONLY,
        parameters=[
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS), description="hot (default), top or new."),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Idea.Category.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Idea.Status.values),
        ],
        description="Ideas not merged into another; employees only (session), never API keys.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="ideas_create",
        tags=["ideas"],
        extensions=SESSION_ONLY,
        request=IdeaInSerializer,
        responses={
            201: OpenApiResponse(IdeaOutSerializer, description="Submitted; the signed-in employee is the author."),
            200: OpenApiResponse(IdeaOutSerializer, description="A retry: the author has an idea with this title."),
        },
    )
    def post(self, request):
        body = IdeaInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        idea, created = idea_submit(author=request.user, **body.validated_data)
        return Response(IdeaOutSerializer(idea).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class IdeaVoteApi(APIView):
    """The signed-in employee votes for an idea (POST) or takes the vote back (DELETE)."""

    allowed_roles = (Role.EMPLOYEE,)
    required_scopes = NO_API_KEYS

    def _answer(self, idea_pk: int, voted: bool, code: int) -> Response:
        count = Idea.objects.values_list("vote_count", flat=True).get(pk=idea_pk)
        return Response({"idea": idea_pk, "voted": voted, "vote_count": count}, status=code)

    @extend_schema(
        operation_id="ideas_vote",
        tags=["ideas"],
        extensions=SESSION_ONLY,
        request=None,
        responses={
            201: OpenApiResponse(IdeaVoteOutSerializer, description="Voted."),
            200: OpenApiResponse(IdeaVoteOutSerializer, description="Voted already: nothing changed."),
            409: OpenApiResponse(description="The idea was merged into another (code idea_merged)."),
        },
    )
    def post(self, request, pk: int):
        idea = get_object_or_404(Idea, pk=pk)
        created = idea_vote(idea=idea, voter=request.user)
        return self._answer(idea.pk, True, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        operation_id="ideas_unvote",
        tags=["ideas"],
        extensions=SESSION_ONLY,
        request=None,
        responses={204: OpenApiResponse(description="No vote of yours on it now (taken back, or there was none).")},
    )
    def delete(self, request, pk: int):
        idea = get_object_or_404(Idea, pk=pk)
        idea_unvote(idea=idea, voter=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
