"""The councils in the admin: read-only, since seating, meetings, reports and spotlights go through
the services (they keep the seat rules, the history and the frozen reports right)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from councils import models


class SeatInline(ReadOnlyTabularInline):
    model = models.Seat


@admin.register(models.Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]
    inlines = [SeatInline]


@admin.register(models.Seat)
class SeatAdmin(ReadOnlyAdmin):
    list_display = ["council", "number", "kind"]
    list_filter = ["council"]


@admin.register(models.Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["user", "seat", "starts_on", "ends_on", "is_chair", "vacated_at"]
    list_filter = ["council"]
    search_fields = ["user__email", "user__name"]


@admin.register(models.Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["user", "council", "kind", "status", "created_at"]
    list_filter = ["council", "status"]
    search_fields = ["user__email", "user__name"]
    exclude = ["token"]


@admin.register(models.SeatEvent)
class SeatEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "council", "kind", "user", "reason"]
    list_filter = ["council", "kind"]


class AttendeeInline(ReadOnlyTabularInline):
    model = models.Attendee


@admin.register(models.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "council", "starts_at", "status"]
    list_filter = ["council", "status"]
    inlines = [AttendeeInline]


@admin.register(models.Attendee)
class AttendeeAdmin(ReadOnlyAdmin):
    list_display = ["user", "meeting", "role", "response"]


@admin.register(models.ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "council", "owner", "due_on", "status"]
    list_filter = ["council", "status"]


@admin.register(models.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["council", "quarter", "status", "published_at"]
    list_filter = ["council", "status"]
    exclude = ["data"]


@admin.register(models.Spotlight)
class SpotlightAdmin(ReadOnlyAdmin):
    list_display = ["title", "employee", "status", "published_at"]
    list_filter = ["status"]
