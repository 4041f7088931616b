"""The councils and their seats over the API.

Reads need the scope `councils:read` (an API key reads both councils); a signed-in manager
(`councils.manage_councils`) reads both, a council member the councils they sit on.
Nominating needs `councils:write`, or a signed-in manager; it is idempotent: sending the same
nomination again answers the pending one (200), not a second nomination.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiKey, User
from accounts.permissions import ANY_SIGNED_IN
from accounts.roles import Role, has_role
from core.api_user import acting_user
from core.links import site_origin
from councils.access import can_manage, can_view_council
from councils.models import NOTE_MAX, Council, Nomination, SeatEvent, SeatKind
from councils.selectors.seats import CouncilNotFound, council_get, councils_all, councils_of, history, seat_rows
from councils.services.seats import nomination_create

READ = {"GET": "councils:read"}


class CouncilTermSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    seated_at = serializers.DateTimeField()


class CouncilSeatSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="seat.number")
    kind = serializers.ChoiceField(source="seat.kind", choices=SeatKind.choices)
    vacant = serializers.BooleanField()
    holder = serializers.SerializerMethodField(help_text="The holder's name; null when vacant.")
    term = CouncilTermSerializer(allow_null=True)
    chair = serializers.SerializerMethodField()

    def get_holder(self, row) -> str | None:
        return (row.term.user.name or row.term.user.email) if row.term else None

    def get_chair(self, row) -> bool:
        return bool(row.term and row.term.is_chair)


class CouncilSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Council.Kind.choices, help_text="brand or customer")
    name = serializers.CharField()
    purpose = serializers.CharField()
    seats = CouncilSeatSerializer(many=True, source="rows")
    vacancies = serializers.IntegerField()
    chair = serializers.CharField(allow_null=True, help_text="The chair's name; null when none.")


def _council_data(council: Council) -> dict:
    rows = seat_rows(council)
    chair = next((row.term for row in rows if row.term and row.term.is_chair), None)
    return {
        "kind": council.kind,
        "name": council.name,
        "purpose": council.purpose,
        "rows": rows,
        "vacancies": sum(row.vacant for row in rows),
        "chair": (chair.user.name or chair.user.email) if chair else None,
    }


def _is_key(request) -> bool:
    return isinstance(request.auth, ApiKey)


def _council_for(request, kind: str) -> Council:
    """The council, for a key, its members and managers: other people get 403 whether it exists or not."""
    council = Council.objects.filter(kind=kind).first()
    if _is_key(request) or can_manage(request.user):
        if council is None:
            raise Http404
        return council
    if council is None or not can_view_council(request.user, council):
        raise PermissionDenied
    return council


class CouncilListApi(APIView):
    """Both councils with their six seats (number, kind, holder, term, chair, vacant). A signed-in council
    member sees the councils they sit on."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = READ

    @extend_schema(responses=CouncilSerializer(many=True))
    def get(self, request):
        if _is_key(request) or can_manage(request.user):
            councils = list(councils_all())
        elif has_role(request.user, Role.COUNCIL_MEMBER):
            councils = councils_of(request.user)
        else:
            raise PermissionDenied
        return Response(CouncilSerializer([_council_data(c) for c in councils], many=True).data)


class CouncilApi(APIView):
    """One council (`brand` or `customer`) with its six seats."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = READ

    @extend_schema(responses=CouncilSerializer)
    def get(self, request, kind):
        return Response(CouncilSerializer(_council_data(_council_for(request, kind))).data)


class CouncilSeatEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=SeatEvent.Kind.choices)
    person = serializers.SerializerMethodField()
    seat = serializers.IntegerField(source="seat.number", allow_null=True, default=None)
    reason = serializers.CharField()
    by = serializers.SerializerMethodField()

    def get_person(self, event) -> str | None:
        return (event.user.name or event.user.email) if event.user else None

    def get_by(self, event) -> str | None:
        return (event.by.name or event.by.email) if event.by else None


class CouncilHistoryApi(APIView):
    """A council's history, newest first: nominations, answers, seatings, vacancies (with why), chairs."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = READ

    @extend_schema(responses=CouncilSeatEventSerializer(many=True))
    def get(self, request, kind):
        council = _council_for(request, kind)
        return Response(CouncilSeatEventSerializer(history(council, limit=500), many=True).data)


class CouncilNominationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The nominee's account address.")
    kind = serializers.ChoiceField(choices=SeatKind.choices, help_text="The kind of seat.")
    starts_on = serializers.DateField(required=False, help_text="Default: today.")
    ends_on = serializers.DateField(required=False, help_text="Default: a year after the start.")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, help_text="Quoted in the email."
    )

    def validate_email(self, value):
        user = User.objects.filter(email__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError("Nobody with an active account has this address.")
        return user


class CouncilNominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    council = serializers.CharField(source="council.kind")
    kind = serializers.ChoiceField(choices=SeatKind.choices)
    nominee = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email")
    status = serializers.ChoiceField(choices=Nomination.Status.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_nominee(self, nomination) -> str:
        return nomination.user.name or nomination.user.email


class NominationCreateApi(APIView):
    """Nominate a person for a seat; they are emailed links to accept or decline. Sending the same
    nomination again answers the pending one (200) instead of a second one (201)."""

    allowed_roles = ANY_SIGNED_IN
    required_scopes = {"POST": "councils:write"}

    @extend_schema(
        request=CouncilNominationCreateSerializer,
        responses={
            201: CouncilNominationSerializer,
            200: OpenApiResponse(CouncilNominationSerializer, description="The same nomination was pending already."),
            409: OpenApiResponse(description="A rule refuses it (wrong kind of person, no seat left, seated already)."),
        },
    )
    def post(self, request, kind):
        if not _is_key(request) and not can_manage(request.user):
            raise PermissionDenied
        try:
            council = council_get(kind)
        except CouncilNotFound:
            raise Http404 from None
        incoming = CouncilNominationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        result = nomination_create(
            council=council,
            kind=data["kind"],
            user=data["email"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            note=data.get("note", ""),
            by=acting_user(request),
            origin=site_origin(request),
        )
        return Response(
            CouncilNominationSerializer(result.nomination).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


urlpatterns = [
    path("councils", CouncilListApi.as_view(), name="councils"),
    path("councils/<slug:kind>", CouncilApi.as_view(), name="council"),
    path("councils/<slug:kind>/history", CouncilHistoryApi.as_view(), name="council-history"),
    path("councils/<slug:kind>/nominations", NominationCreateApi.as_view(), name="council-nominations"),
]
