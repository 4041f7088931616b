"""Referral conversions and share kits over the API. Thin over advocacy.services.referrals."""

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import KIT_MESSAGE_MAX, MANAGE_PROGRAM
from advocacy.selectors.referrals import kits_for_staff
from advocacy.services.referrals import conversion_record, kit_save
from core.api_user import acting_user
from core.validators import validate_sane_date

FUTURE_SKEW = timedelta(hours=1)  # clocks differ a little; an order from tomorrow is a mistake


class ErrorSerializer(serializers.Serializer):
    error = serializers.DictField(help_text='{"code", "message", "details"?}: the one error shape of the API.')


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry its offset (a bare local time is ambiguous), between
    core.validators' EARLIEST_DATE and LATEST_DATE (year 1 with an offset cannot even be turned into UTC)."""

    def to_internal_value(self, value):
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed, but no such moment (a 25th hour): DRF's own message follows
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            self.fail("invalid", format="ISO 8601 with an offset, e.g. 2026-06-01T14:03:00+02:00")
        if parsed is not None:
            try:
                validate_sane_date(parsed)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return super().to_internal_value(value)


# --- POST /api/v1/referrals/conversions -----------------------------------------------


class ConversionInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16, help_text="The referral code: utm_content of the visit.")
    order_id = serializers.CharField(max_length=100, help_text="The shop's order id; an order is recorded once.")
    customer_ref = serializers.CharField(max_length=150, help_text="The shop's stable reference for the customer.")
    customer_email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, help_text="Kept only as a keyed hash, to spot self-referrals."
    )
    visitor_id = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="The shop's id for the browser; kept hashed."
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True)
    currency = serializers.RegexField(
        r"^[A-Za-z]{3}$", max_length=3, required=False, allow_blank=True, help_text="ISO 4217"
    )
    ordered_at = OffsetDateTimeField(required=False, help_text="ISO 8601 with an offset; defaults to now.")
    channel = serializers.SlugField(
        max_length=50, required=False, allow_blank=True, help_text="The channel slug, when known."
    )

    def validate_ordered_at(self, value):
        if value > timezone.now() + FUTURE_SKEW:
            raise serializers.ValidationError("Is in the future.")
        return value


class ConversionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.CharField()
    code = serializers.CharField(source="link.code")
    customer_ref = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    ordered_at = serializers.DateTimeField()
    channel = serializers.CharField(source="channel.slug", allow_null=True, default=None)
    is_returning = serializers.BooleanField(help_text="The customer had a counted referral conversion before.")
    review = serializers.ChoiceField(
        choices=["clear", "held", "approved", "rejected"], help_text="held: flagged, not counted until reviewed."
    )
    flags = serializers.ListField(child=serializers.CharField(), help_text="self_referral, repeat_customer, …")
    received_at = serializers.DateTimeField()


class ConversionsApi(APIView):
    """Shops (scope referrals:write) and program managers: record an order that came through a referral."""

    required_permission = MANAGE_PROGRAM
    required_scopes = {"POST": "referrals:write"}

    @extend_schema(
        request=ConversionInSerializer,
        responses={
            201: ConversionOutSerializer,
            200: OpenApiResponse(ConversionOutSerializer, description="A replay: the order was recorded before."),
            400: OpenApiResponse(ErrorSerializer, description="Invalid input or an unknown code (details name it)."),
            409: OpenApiResponse(ErrorSerializer, description="The order id was recorded with different data."),
        },
        operation_id="referral_conversions_create",
        tags=["referrals"],
        description="Idempotent on order_id: the first call answers 201, a replay with the same data 200 with the "
        "same body, the same order id with different data 409. Suspicious orders (the ambassador's own "
        "email, too many orders from one customer or visitor in 24 hours) are stored with review=held.",
    )
    def post(self, request):
        incoming = ConversionInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        result = conversion_record(**incoming.validated_data)
        return Response(
            ConversionOutSerializer(result.conversion).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# --- GET/POST /api/v1/kits ---------------------------------------------------------------


class KitInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    message = serializers.CharField(max_length=KIT_MESSAGE_MAX)
    target_url = serializers.URLField(max_length=500)
    campaign = serializers.SlugField(max_length=80)
    starts_on = serializers.DateField(validators=[validate_sane_date])
    ends_on = serializers.DateField(validators=[validate_sane_date], help_text="On or after starts_on.")


class KitOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    message = serializers.CharField()
    target_url = serializers.CharField()
    campaign = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_open = serializers.SerializerMethodField()

    def get_is_open(self, kit) -> bool:
        return kit.starts_on <= timezone.localdate() <= kit.ends_on


class KitsApi(APIView):
    """Integrations (program:read / program:write) and program managers: share kits."""

    required_permission = MANAGE_PROGRAM
    required_scopes = {"GET": "program:read", "POST": "program:write"}

    @extend_schema(responses=KitOutSerializer(many=True), operation_id="kits_list", tags=["kits"])
    def get(self, request):
        return Response(KitOutSerializer(kits_for_staff(), many=True).data)

    @extend_schema(
        request=KitInSerializer,
        responses={201: KitOutSerializer, 400: ErrorSerializer},
        operation_id="kits_create",
        tags=["kits"],
        description="An end before the start answers 400 with details naming ends_on; nothing is saved.",
    )
    def post(self, request):
        incoming = KitInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        kit = kit_save(by=acting_user(request), **incoming.validated_data)
        return Response(KitOutSerializer(kit).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("referrals/conversions", ConversionsApi.as_view(), name="referral-conversions"),
    path("kits", KitsApi.as_view(), name="kits"),
]
