"""Posts over the API: `GET /api/v1/posts`.

Employees (session) and API keys with the scope `intranet:read` read posts that no moderator hid, newest
first, in cursor pages. Each post carries its text and its author's name only: no email, no user id (an
@mention in the text shows the person's name, not the address it was written with). Ambassadors and
executives who are not employees get 403.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from accounts.roles import Role
from core.pagination import CursorPagination
from intranet.markup import MENTION
from intranet.post_selectors import mentions_as_names, posts_for_api


class PostOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The post's id.")
    text = serializers.SerializerMethodField(help_text="What the author wrote (Markdown), mentions as names.")
    author = serializers.CharField(source="author.get_full_name", help_text="The author's name.")
    group = serializers.CharField(source="group.name", allow_null=True, default=None, help_text="Its group, if any.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)

    def get_text(self, post) -> str:
        names = self.context.get("mention_names", {})
        return MENTION.sub(
            lambda m: f"@{names[m.group(1).lower()]}" if m.group(1).lower() in names else m.group(0), post.text
        )


class PostPagination(CursorPagination):
    page_size = 25
    max_page_size = 100
    ordering = ("-created_at", "-id")


class PostListApi(ListAPIView):
    """Posts that are not hidden, newest first: employees, and API keys with intranet:read."""

    allowed_roles = (Role.EMPLOYEE,)
    required_scopes = {"GET": "intranet:read"}
    serializer_class = PostOutSerializer
    pagination_class = PostPagination

    def get_queryset(self):
        return posts_for_api()

    @extend_schema(
        operation_id="posts_list",
        tags=["intranet"],
        description="Intranet posts that no moderator hid, newest first, as text with the author's name only "
        "(no emails, no user ids). Scope `intranet:read` for API keys; employees may call it signed in.",
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "mention_names": mentions_as_names(page)}
        )
        return self.get_paginated_response(serializer.data)
