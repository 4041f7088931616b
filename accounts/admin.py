from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from accounts.models import ApiKey, Department, DepartmentMembership, Notification, NotificationDigest, User
from accounts.services import department_member_check
from core.admin import ReadOnlyAdmin


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


class DepartmentMembershipForm(forms.ModelForm):
    class Meta:
        model = DepartmentMembership
        fields = ["user"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            department_member_check(user=user)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["user"]) from exc
        return user


class DepartmentMembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The lead chosen above must be among the members kept below (the rule the services keep)."""
        super().clean()
        lead = self.instance.lead
        if lead is None or any(self.errors):
            return
        kept = {
            form.cleaned_data.get("user")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if lead not in kept:
            raise ValidationError(
                f"The lead, {lead}, must be one of the members: add them here, or choose another lead."
            )


class DepartmentMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    form = DepartmentMembershipForm
    formset = DepartmentMembershipFormSet
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]
    extra = 1


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Admins add departments and edit their members; the lead must be one of the members."""

    list_display = ["name", "slug", "lead", "member_count", "created_at"]
    list_filter = [("lead", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "slug", "lead__email", "lead__name", "members__email", "members__name"]
    prepopulated_fields = {"slug": ("name",)}
    fields = ["name", "slug", "lead"]
    autocomplete_fields = ["lead"]
    inlines = [DepartmentMembershipInline]

    def get_queryset(self, request):
        departments = super().get_queryset(request).select_related("lead")
        # distinct: a search on members joins the memberships again
        return departments.annotate(_member_count=Count("memberships", distinct=True))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, department) -> int:
        return department._member_count


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by the apps through `accounts.services.notify()`; here to look them up."""

    list_display = ["user", "text", "created_at", "read_at", "emailed_at"]
    search_fields = ["user__email", "text"]
    list_select_related = ["user"]


@admin.register(NotificationDigest)
class NotificationDigestAdmin(ReadOnlyAdmin):
    """The daily digests sent: one per person and day."""

    list_display = ["user", "day", "sent_at", "notification_count"]
    list_select_related = ["user"]
