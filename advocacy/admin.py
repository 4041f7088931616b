from django.contrib import admin

from advocacy import models


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "seat_limit"]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "status", "sent_at", "expires_at", "invited_by"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "name"]
    exclude = ["token_hash"]
    readonly_fields = ["kind", "status", "sent_at", "expires_at", "send_count", "responded_at", "user"]

    def has_add_permission(self, request):
        return False  # invitations go through the program pages, which email the link


class MembershipEventInline(admin.TabularInline):
    model = models.MembershipEvent
    extra = 0
    readonly_fields = ["kind", "reason", "by", "at"]
    can_delete = False


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "seat", "joined_at", "left_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__name"]
    readonly_fields = ["status", "seat", "joined_at", "left_at", "invitation"]
    inlines = [MembershipEventInline]

    def has_add_permission(self, request):
        return False  # seats are taken only through the services, under the program lock


@admin.register(models.WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "joined_at"]
    list_filter = ["status"]


class KitAssetInline(admin.TabularInline):
    model = models.KitAsset
    extra = 0


class SuggestedPostInline(admin.TabularInline):
    model = models.SuggestedPost
    extra = 0


@admin.register(models.Kit)
class KitAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    inlines = [KitAssetInline, SuggestedPostInline]


@admin.register(models.Conversion)
class ConversionAdmin(admin.ModelAdmin):
    list_display = ["order_id", "link", "ordered_at", "is_returning", "review"]
    list_filter = ["review", "is_returning"]


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "submitted_at"]
    list_filter = ["status", "kind"]


admin.site.register([models.ReferralLink, models.Activity, models.BadgeAward, models.ShoutOut])
