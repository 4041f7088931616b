from django.contrib import admin

from core.models import Heartbeat


class ReadOnlyMixin:
    """Rows that only a service or a task writes (it keeps counts, caps and ledgers right):
    admins look them up, and never add, change or delete one here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    """Only the heartbeat task writes these rows."""

    list_display = ["name", "last_seen_at"]
    search_fields = ["name"]
