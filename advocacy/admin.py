"""The ambassador program in the Django admin.

Seats, invitations, the waitlist, referral links and clicks, conversions under review, the
points ledger and badges are written only by the program's services and tasks (under the
program lock, with points and counts kept consistent): here they are read-only. Kits, stories'
wording and shout-outs can be corrected here.
"""

from django.contrib import admin

from advocacy import models
from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "seat_limit", "created_at"]
    search_fields = ["name"]


@admin.register(models.Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations go through the program pages, which email the link."""

    list_display = ["email", "name", "kind", "status", "source", "sent_at", "expires_at", "invited_by"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["email", "name"]
    list_select_related = ["invited_by"]
    exclude = ["token_hash"]


class MembershipEventInline(ReadOnlyTabularInline):
    model = models.MembershipEvent


@admin.register(models.Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Seats are taken and freed only through the services, under the program lock."""

    list_display = ["user", "status", "seat", "joined_at", "left_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    inlines = [MembershipEventInline]


@admin.register(models.WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "joined_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]


class KitAssetInline(admin.TabularInline):
    model = models.KitAsset
    extra = 0


class SuggestedPostInline(admin.TabularInline):
    model = models.SuggestedPost
    extra = 0


@admin.register(models.Kit)
class KitAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "starts_on", "ends_on", "created_by"]
    list_filter = ["starts_on", "ends_on"]
    search_fields = ["title", "message", "campaign"]
    inlines = [KitAssetInline, SuggestedPostInline]


@admin.register(models.ReferralLink)
class ReferralLinkAdmin(ReadOnlyAdmin):
    list_display = ["code", "kit", "membership", "created_at"]
    list_filter = ["kit"]
    search_fields = ["code", "membership__user__email", "kit__title"]
    list_select_related = ["kit", "membership__user"]


@admin.register(models.ReferralClick)
class ReferralClickAdmin(ReadOnlyAdmin):
    list_display = ["link", "day", "channel", "at", "flagged"]
    list_filter = ["flagged", "channel"]
    search_fields = ["link__code"]
    list_select_related = ["link", "channel"]
    date_hierarchy = "at"


@admin.register(models.ClickTally)
class ClickTallyAdmin(ReadOnlyAdmin):
    """Counted clicks per member and day: what caps their click points (ADVOCACY_CLICK_POINTS_PER_DAY)."""

    list_display = ["membership", "day", "clicks"]
    search_fields = ["membership__user__email"]
    list_select_related = ["membership__user"]
    date_hierarchy = "day"


@admin.register(models.Conversion)
class ConversionAdmin(ReadOnlyAdmin):
    """Held conversions are approved or rejected on the review page, which also settles their points."""

    list_display = ["order_id", "link", "ordered_at", "amount", "currency", "is_returning", "review"]
    list_filter = ["review", "is_returning", "channel"]
    search_fields = ["order_id", "customer_ref", "link__code"]
    list_select_related = ["link"]


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    """Managers publish or decline on the program pages (which award the points); wording can be fixed here."""

    list_display = ["title", "kind", "status", "membership", "submitted_at", "published_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "body", "membership__user__email"]
    list_select_related = ["membership__user"]
    readonly_fields = ["membership", "kind", "status", "slug", "submitted_at", "reviewed_by", "published_at"]

    def has_add_permission(self, request) -> bool:
        return False  # ambassadors submit stories from their portal


@admin.register(models.Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """The points ledger."""

    list_display = ["membership", "kind", "points", "held", "at", "key"]
    list_filter = ["kind", "held"]
    search_fields = ["membership__user__email", "key"]
    list_select_related = ["membership__user"]
    date_hierarchy = "at"


@admin.register(models.BadgeAward)
class BadgeAwardAdmin(ReadOnlyAdmin):
    list_display = ["membership", "badge", "awarded_at"]
    list_filter = ["badge"]
    search_fields = ["membership__user__email", "badge"]
    list_select_related = ["membership__user"]


@admin.register(models.ShoutOut)
class ShoutOutAdmin(admin.ModelAdmin):
    list_display = ["message", "membership", "by", "at"]
    search_fields = ["message", "membership__user__email"]
    list_select_related = ["membership__user", "by"]


@admin.register(models.AdvocatePerson)
class AdvocatePersonAdmin(ReadOnlyAdmin):
    """Advocate discovery merges and unmerges people on /program/candidates/."""

    list_display = ["__str__", "merged_by", "merged_at"]
    search_fields = ["name", "authors__handle"]


@admin.register(models.AdvocateAuthor)
class AdvocateAuthorAdmin(ReadOnlyAdmin):
    """Merged and hidden authors. Hidden is for good; an admin undoes a mistaken hide by deleting the row
    (the author then ranks again, on their own)."""

    list_display = ["handle", "channel", "person", "hidden_at", "hidden_by"]
    list_filter = ["channel"]
    search_fields = ["handle"]
    list_select_related = ["channel", "person", "hidden_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(models.InvitationProposal)
class InvitationProposalAdmin(ReadOnlyAdmin):
    """Proposals are made, confirmed and declined on the program pages, which email the proposer."""

    list_display = ["email", "name", "status", "proposed_by", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["email", "name"]
    list_select_related = ["proposed_by", "decided_by"]
