"""Intranet data in the Django admin, to look things up: votes, merges and statuses go through the pages
and the API, whose services keep the counts right, so the admin only reads."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from intranet.models import Idea, IdeaComment, IdeaEvent, IdeaVote


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
