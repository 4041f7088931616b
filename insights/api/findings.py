"""Findings over the API: `GET/POST /api/v1/findings`, `GET/PATCH /api/v1/findings/{id}`.

Thin over insights.services.findings: a PATCH that moves the status goes through the same service and
rules as the pages. A POST with an `Idempotency-Key` header is made once: a retry with the same key
(from the same key or user) answers 200 with the finding made the first time.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyPrincipal
from accounts.roles import Role
from core.pagination import CursorPagination
from core.validators import validate_sane_date
from insights.models import Finding
from insights.selectors.findings import findings_board, findings_visible_to
from insights.services.findings import MAX_MENTIONS, finding_create, finding_status_set, finding_update

SCOPES = {"GET": "findings:read", "POST": "findings:write", "PATCH": "findings:write"}


class FindingInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=10_000)
    recommended_action = serializers.CharField(max_length=10_000)
    departments = serializers.ListField(
        child=serializers.CharField(max_length=50), min_length=1, max_length=50, help_text="Department slugs."
    )
    priority = serializers.ChoiceField(choices=Finding.Priority.choices, default=Finding.Priority.NORMAL)
    due = serializers.DateField(required=False, allow_null=True, validators=[validate_sane_date])
    mentions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=MAX_MENTIONS,
        help_text="Ids of the mentions behind it.",
    )


class FindingPatchSerializer(FindingInSerializer):
    status = serializers.ChoiceField(choices=Finding.Status.choices, required=False)
    reason = serializers.CharField(
        max_length=5_000, required=False, allow_blank=True, help_text="Why it is declined: required to decline."
    )


class FindingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    recommended_action = serializers.CharField()
    departments = serializers.SerializerMethodField()
    priority = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    mentions = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Finding.Status.choices)
    decline_reason = serializers.CharField()
    overdue = serializers.BooleanField(source="is_overdue", help_text="Past due, neither done nor declined.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_departments(self, finding) -> list[str]:
        return [department.slug for department in finding.departments.all()]

    def get_mentions(self, finding) -> list[int]:
        return sorted(mention.pk for mention in finding.mentions.all())


def _caller(request) -> tuple:
    """(by, via, idempotency scope): a person, or an integration's key."""
    if isinstance(request.user, ApiKeyPrincipal):
        key = request.user.api_key
        return None, f"API key “{key.name}” ({key.prefix})", f"key:{key.pk}"
    return request.user, "", f"user:{request.user.pk}"


def _visible(request):
    return findings_board(findings=findings_visible_to(user=request.user)).prefetch_related("mentions")


def _out(request, pk: int, code=status.HTTP_200_OK) -> Response:
    finding = _visible(request).filter(pk=pk).first()
    return Response(FindingOutSerializer(finding).data, status=code)


class FindingPagination(CursorPagination):
    ordering = "-id"


class FindingListApi(ListAPIView):
    """Findings: insights staff and department members (their departments' findings) read them; insights
    staff and integrations write them (scopes findings:read / findings:write)."""

    allowed_roles = (Role.INSIGHTS_STAFF, Role.EMPLOYEE)
    required_scopes = SCOPES
    serializer_class = FindingOutSerializer
    pagination_class = FindingPagination

    def get_queryset(self):
        findings = findings_visible_to(user=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in Finding.Status.values:
                raise exceptions.ValidationError({"status": [f"One of {', '.join(Finding.Status.values)}."]})
            findings = findings.filter(status=wanted)
        if self.request.query_params.get("department"):
            findings = findings.filter(departments__slug=self.request.query_params["department"][:50])
        return findings_board(findings=findings).prefetch_related("mentions").order_by("-id")

    @extend_schema(
        operation_id="findings_list",
        tags=["findings"],
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Finding.Status.values),
            OpenApiParameter("department", OpenApiTypes.STR, description="A department slug."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="findings_create",
        tags=["findings"],
        request=FindingInSerializer,
        responses={201: FindingOutSerializer, 200: FindingOutSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Optional, up to 100 characters: a retry with the same key creates nothing and "
                "answers 200 with the finding made the first time.",
            )
        ],
        description="Write a finding and route it to departments; their members are notified. Unknown "
        "department slugs or mention ids answer 400 naming them.",
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise exceptions.ValidationError({"Idempotency-Key": ["At most 100 characters."]})
        body = FindingInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        by, via, scope = _caller(request)
        finding, created = finding_create(
            **body.validated_data, by=by, via=via, idempotency_key=f"api:{scope}:{key}" if key else None
        )
        return _out(request, finding.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class FindingDetailApi(APIView):
    """One finding. A PATCH edits its content (insights staff and integrations) and/or moves its status
    (also the members of the departments it is routed to), with the workflow's rules; declining needs a
    `reason`. Content changes and a status move in one body apply together or not at all."""

    allowed_roles = (Role.INSIGHTS_STAFF, Role.EMPLOYEE)
    required_scopes = SCOPES

    @extend_schema(operation_id="findings_retrieve", tags=["findings"], responses=FindingOutSerializer)
    def get(self, request, pk: int):
        get_object_or_404(findings_visible_to(user=request.user), pk=pk)
        return _out(request, pk)

    @extend_schema(
        operation_id="findings_update",
        tags=["findings"],
        request=FindingPatchSerializer,
        responses=FindingOutSerializer,
    )
    def patch(self, request, pk: int):
        finding = get_object_or_404(findings_visible_to(user=request.user), pk=pk)
        body = FindingPatchSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        new_status = changes.pop("status", None)
        reason = changes.pop("reason", "")
        by, via, _ = _caller(request)
        with transaction.atomic():
            if changes:
                finding = finding_update(finding=finding, by=by, via=via, **changes)
            if new_status is not None and new_status != finding.status:
                finding_status_set(finding=finding, status=new_status, by=by, via=via, reason=reason)
        return _out(request, pk)
