"""The intranet in the Django admin.

Profiles and skills are written by intranet.services (the photo is checked, re-encoded and
stripped of EXIF there): here they are read-only, so no upload can skip those checks.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from intranet import models


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
