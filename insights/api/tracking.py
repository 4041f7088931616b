"""Tracked terms, channels and feeds over the API (scope insights:admin). Writes go through services."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from accounts.roles import Role
from accounts.selectors import users_with_role
from insights.models import Channel, Feed, TrackedTerm
from insights.services.feeds import feed_delete, feed_register, feed_update
from insights.services.terms import TARGET_MAX_MINUTES, channel_delete, channel_save, term_delete, term_save

ADMIN_SCOPES = dict.fromkeys(["GET", "POST", "PATCH", "DELETE"], "insights:admin")


class TermSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=TrackedTerm.Kind.choices)
    query = serializers.CharField(help_text="The term query language: see the terms page in the app.")
    is_active = serializers.BooleanField(read_only=True)


class ChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Channel.Kind.choices)
    is_active = serializers.BooleanField(default=True)
    response_target_minutes = serializers.IntegerField(
        allow_null=True,
        default=None,
        min_value=1,
        max_value=TARGET_MAX_MINUTES,
        help_text="First-response target in minutes (60 on social networks, 1440 for email); null: none. "
        "Changing it re-computes the due time of the channel's unanswered mentions.",
    )
    owner = serializers.SlugRelatedField(
        slug_field="email",
        queryset=users_with_role(Role.INSIGHTS_STAFF),
        allow_null=True,
        default=None,
        help_text="The email of the insights staff member told when a mention here is overdue and nobody is on it.",
    )


class ServiceViewSet(viewsets.GenericViewSet):
    """list/retrieve/create/partial_update/destroy, each write through a service function."""

    allowed_roles = [Role.INSIGHTS_STAFF]
    required_scopes = ADMIN_SCOPES
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    pagination_class = None

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        return self._save(request, instance=None, partial=False)

    def partial_update(self, request, pk=None):
        return self._save(request, instance=self.get_object(), partial=True)

    def destroy(self, request, pk=None):
        self.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _save(self, request, *, instance, partial):
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {**(self.get_serializer(instance).data if instance else {}), **serializer.validated_data}
        fields.pop("id", None)
        saved = self.write(instance, fields)  # a service's ValidationError is a 400 (core.api), with or without fields
        return Response(
            self.get_serializer(saved).data, status=status.HTTP_200_OK if instance else status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(operation_id="terms_list", tags=["insights admin"]),
    retrieve=extend_schema(operation_id="terms_retrieve", tags=["insights admin"]),
    create=extend_schema(operation_id="terms_create", tags=["insights admin"]),
    partial_update=extend_schema(operation_id="terms_update", tags=["insights admin"]),
    destroy=extend_schema(operation_id="terms_destroy", tags=["insights admin"]),
)
class TermViewSet(ServiceViewSet):
    """Tracked terms: a changed query re-matches past mentions in the background."""

    serializer_class = TermSerializer
    queryset = TrackedTerm.objects.order_by("kind", "name")

    def write(self, instance, fields):
        fields.pop("is_active", None)
        return term_save(term=instance, **fields)

    def remove(self, instance):
        term_delete(term=instance)


@extend_schema_view(
    list=extend_schema(operation_id="channels_list", tags=["insights admin"]),
    retrieve=extend_schema(operation_id="channels_retrieve", tags=["insights admin"]),
    create=extend_schema(operation_id="channels_create", tags=["insights admin"]),
    partial_update=extend_schema(operation_id="channels_update", tags=["insights admin"]),
    destroy=extend_schema(operation_id="channels_destroy", tags=["insights admin"]),
)
class ChannelViewSet(ServiceViewSet):
    """Channels: a channel in use cannot be deleted, only deactivated."""

    serializer_class = ChannelSerializer
    queryset = Channel.objects.order_by("name")

    def write(self, instance, fields):
        if isinstance(fields["owner"], str):  # not in a partial update: the stored owner, as serialized
            fields["owner"] = instance.owner
        return channel_save(channel=instance, **fields)

    def remove(self, instance):
        channel_delete(channel=instance)


class FeedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=2000, help_text="Fixed once registered.")
    channel = serializers.SlugRelatedField(slug_field="slug", queryset=Channel.objects.filter(is_active=True))
    poll_minutes = serializers.IntegerField(min_value=5, default=30)
    is_active = serializers.BooleanField(default=True)
    last_polled_at = serializers.DateTimeField(read_only=True)
    last_success_at = serializers.DateTimeField(read_only=True)
    last_error = serializers.CharField(read_only=True)
    mentions_created = serializers.IntegerField(read_only=True)


@extend_schema_view(
    list=extend_schema(operation_id="feeds_list", tags=["insights admin"]),
    retrieve=extend_schema(operation_id="feeds_retrieve", tags=["insights admin"]),
    create=extend_schema(operation_id="feeds_create", tags=["insights admin"]),
    partial_update=extend_schema(operation_id="feeds_update", tags=["insights admin"]),
    destroy=extend_schema(operation_id="feeds_destroy", tags=["insights admin"]),
)
class FeedViewSet(ServiceViewSet):
    """RSS/Atom feeds: registering one fetches it once to check it is a feed."""

    serializer_class = FeedSerializer
    queryset = Feed.objects.select_related("channel").order_by("name")

    def write(self, instance, fields):
        if instance is None:
            return feed_register(
                name=fields["name"], url=fields["url"], channel=fields["channel"], poll_minutes=fields["poll_minutes"]
            )
        if fields.get("url") != instance.url:
            raise ValidationError({"url": "A feed's address cannot change: register the new address as a new feed."})
        return feed_update(
            feed=instance, name=fields["name"], poll_minutes=fields["poll_minutes"], is_active=fields["is_active"]
        )

    def remove(self, instance):
        feed_delete(feed=instance)
