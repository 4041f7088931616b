"""The intranet in the Django admin, read-only: profiles and skills are written by intranet.services (the photo is
checked, re-encoded and stripped of EXIF there); votes, merges and statuses go through the idea services, which keep
the counts right."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from intranet import models
from intranet.models import Idea, IdeaComment, IdeaEvent, IdeaVote


@admin.register(models.Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "location", "start_date", "updated_at"]
    list_filter = ["show_photo", "show_bio"]
    search_fields = ["user__name", "user__email", "title", "location"]
    list_select_related = ["user"]


@admin.register(models.Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["name", "key"]
    search_fields = ["key"]


class IdeaEventInline(ReadOnlyTabularInline):
    model = IdeaEvent


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "status", "vote_count", "author", "owner", "merged_into", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    inlines = [IdeaEventInline]


@admin.register(IdeaVote)
class IdeaVoteAdmin(ReadOnlyAdmin):
    list_display = ["idea", "voter", "created_at"]


@admin.register(IdeaComment)
class IdeaCommentAdmin(ReadOnlyAdmin):
    list_display = ["idea", "author", "created_at"]


@admin.register(IdeaEvent)
class IdeaEventAdmin(ReadOnlyAdmin):
    list_display = ["idea", "kind", "from_status", "to_status", "by", "at"]


@admin.register(models.ImportedAccount)
class ImportedAccountAdmin(ReadOnlyAdmin):
    """Accounts that intranet_import made and nobody has claimed yet. Deleting a row (not the account)
    keeps that account from being claimed by password reset: for someone who has left meanwhile."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class GroupMembershipInline(ReadOnlyTabularInline):
    model = models.GroupMembership


@admin.register(models.Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "created_by", "created_at"]
    search_fields = ["name"]
    inlines = [GroupMembershipInline]


class PostImageInline(ReadOnlyTabularInline):
    model = models.PostImage


@admin.register(models.Post)
class PostAdmin(ReadOnlyAdmin):
    """Posts are written, hidden and pinned through the app (the HTML is rendered and sanitised there)."""

    list_display = ["__str__", "author", "group", "created_at", "edited_at", "pinned_at", "hidden_at"]
    list_filter = ["group"]
    search_fields = ["text", "author__email"]
    list_select_related = ["author", "group"]
    exclude = ["search_document"]
    inlines = [PostImageInline]


@admin.register(models.PostComment)
class PostCommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "post", "author", "created_at", "hidden_at"]
    list_select_related = ["author", "post"]
    raw_id_fields = ["post"]


@admin.register(models.PostReaction)
class PostReactionAdmin(ReadOnlyAdmin):
    list_display = ["post", "user", "kind", "created_at"]
    raw_id_fields = ["post"]


@admin.register(models.ContentReport)
class ContentReportAdmin(ReadOnlyAdmin):
    list_display = ["reporter", "post", "comment", "idea_comment", "outcome", "created_at", "resolved_by"]
    list_filter = ["outcome"]
    raw_id_fields = ["post", "comment", "idea_comment"]


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Feedback as the report reads it: anonymous rows have no author to show, by construction."""

    list_display = ["kind", "topic", "anonymous", "department", "created_on", "answered_at"]
    list_filter = ["kind", "topic", "anonymous"]
    exclude = ["digest"]


@admin.register(models.PulseResponse)
class PulseResponseAdmin(ReadOnlyAdmin):
    list_display = ["quarter", "score", "department"]
    list_filter = ["quarter"]


@admin.register(models.PulseParticipation)
class PulseParticipationAdmin(ReadOnlyAdmin):
    """Who answered a quarter's pulse (never what)."""

    list_display = ["user", "quarter"]
    list_filter = ["quarter"]


@admin.register(models.ImportedKey)
class ImportedKeyAdmin(ReadOnlyAdmin):
    """Digests of imported anonymous feedback's old ids: what makes a second import skip them."""

    list_display = ["digest"]
