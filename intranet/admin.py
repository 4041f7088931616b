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
