from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from accounts.models import ApiKey, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name",)}),
        ("Roles and access", {"fields": ("is_active", "groups", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    filter_horizontal = ["groups"]


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    """The library shows a new key once, in a message, and lets admins revoke keys."""

    list_display = [*APIKeyModelAdmin.list_display, "scopes", "last_used_at"]
    fields = ["name", "scopes", "prefix", "expiry_date", "revoked", "created_by", "last_used_at"]
    readonly_fields = ["prefix", "created_by", "last_used_at"]


# The library's own key model is unused (ours adds scopes): keep it out of the admin.
admin.site.unregister(APIKey)
