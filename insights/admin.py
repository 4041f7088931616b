"""Listening data in the Django admin, to look things up.

Every write here goes through the staff pages and the API, whose services validate it and keep
the counts right (a term's query is checked and rematched, a feed's address is vetted, a relabel
marks its hour for the rollups, an alert is acknowledged by someone): the admin only reads.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from insights.models import (
    Alert,
    AlertNotification,
    AlertSubscription,
    Channel,
    DailyRollup,
    DailyTermRollup,
    Feed,
    Finding,
    FindingEvent,
    HourlyRollup,
    Mention,
    MentionAction,
    MentionImport,
    MentionTerm,
    ResponseDailyRollup,
    ResponseRollupClock,
    RollupMark,
    SavedView,
    SentimentModel,
    SentimentRescore,
    Tag,
    TrackedTerm,
)


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "is_active", "response_target_minutes", "owner"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]


@admin.register(TrackedTerm)
class TrackedTermAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "query", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "query"]


class MentionTermInline(ReadOnlyTabularInline):
    model = MentionTerm
    verbose_name = "matched term"


class MentionActionInline(ReadOnlyTabularInline):
    model = MentionAction
    verbose_name = "action"
    fields = ["at", "kind", "actor", "detail", "status_before", "status_after"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    search_fields = ["name"]


@admin.register(SavedView)
class SavedViewAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "query", "created_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]


@admin.register(Mention)
class MentionAdmin(ReadOnlyAdmin):
    list_display = ["published_at", "channel", "author_handle", "sentiment_label", "status", "source", "external_id"]
    list_filter = ["sentiment_label", "status", "channel", "language", "department"]
    search_fields = ["text", "author_handle", "author_name", "source", "external_id"]
    list_select_related = ["channel"]
    date_hierarchy = "published_at"
    show_full_result_count = False  # a count(*) over millions of mentions on every page
    inlines = [MentionTermInline, MentionActionInline]


class RollupAdmin(ReadOnlyAdmin):
    list_display = ["bucket", "channel", "term", "label", "count", "sentiment_sum", "reach_sum", "engagement_sum"]
    list_filter = ["label", "channel", "term"]
    search_fields = ["term__name", "channel__name"]
    list_select_related = ["channel", "term"]
    show_full_result_count = False


@admin.register(HourlyRollup)
class HourlyRollupAdmin(RollupAdmin):
    pass


@admin.register(DailyRollup)
class DailyRollupAdmin(RollupAdmin):
    pass


@admin.register(DailyTermRollup)
class DailyTermRollupAdmin(ReadOnlyAdmin):
    list_display = ["bucket", "term", "label", "count", "sentiment_sum", "reach_sum", "engagement_sum"]
    list_filter = ["label", "term"]
    search_fields = ["term__name"]
    list_select_related = ["term"]
    show_full_result_count = False


@admin.register(ResponseDailyRollup)
class ResponseDailyRollupAdmin(ReadOnlyAdmin):
    list_display = ["bucket", "channel", "department", "mentions", "responded", "within_target", "overdue"]
    list_filter = ["channel", "department"]
    list_select_related = ["channel", "department"]
    date_hierarchy = "bucket"
    show_full_result_count = False


@admin.register(ResponseRollupClock)
class ResponseRollupClockAdmin(ReadOnlyAdmin):
    list_display = ["counted_at"]


@admin.register(RollupMark)
class RollupMarkAdmin(ReadOnlyAdmin):
    list_display = ["hour", "created_at"]
    date_hierarchy = "hour"


@admin.register(Feed)
class FeedAdmin(ReadOnlyAdmin):
    list_display = ["name", "url", "channel", "is_active", "last_polled_at", "last_success_at", "mentions_created"]
    list_filter = ["is_active", "channel"]
    search_fields = ["name", "url", "last_error"]
    list_select_related = ["channel"]


@admin.register(MentionImport)
class MentionImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "status", "uploaded_by", "created_at", "rows_total", "created", "rejected"]
    list_filter = ["status"]
    search_fields = ["original_name", "uploaded_by__email", "error"]
    list_select_related = ["uploaded_by"]


class AlertNotificationInline(ReadOnlyTabularInline):
    model = AlertNotification


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["term", "kind", "status", "opened_at", "last_seen_at", "observed", "baseline"]
    list_filter = ["kind", "status", "term"]
    search_fields = ["term__name"]
    list_select_related = ["term"]
    exclude = ["mentions"]  # thousands of them: the alert's page lists them
    inlines = [AlertNotificationInline]


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "term", "delivery"]
    list_filter = ["delivery", "term"]
    search_fields = ["user__email", "user__name", "term__name"]
    list_select_related = ["user", "term"]


@admin.register(AlertNotification)
class AlertNotificationAdmin(ReadOnlyAdmin):
    list_display = ["alert", "user", "sent_at"]
    list_filter = ["alert__kind"]
    search_fields = ["user__email", "alert__term__name"]
    list_select_related = ["alert__term", "user"]


class FindingEventInline(ReadOnlyTabularInline):
    model = FindingEvent


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "priority", "due", "created_at"]
    list_filter = ["status", "priority", "departments"]
    search_fields = ["title"]
    exclude = ["mentions"]  # the finding's page lists them
    inlines = [FindingEventInline]


@admin.register(SentimentModel)
class SentimentModelAdmin(ReadOnlyAdmin):
    """Trained sentiment versions; trained, activated and rolled back on /insights/sentiment/ (the services
    keep exactly one active)."""

    list_display = ["pk", "trained_at", "labels", "cv_accuracy", "macro_f1", "is_active", "reason"]
    list_filter = ["is_active"]
    exclude = ["parameters", "training_set"]


@admin.register(SentimentRescore)
class SentimentRescoreAdmin(ReadOnlyAdmin):
    """How far the re-scoring of unlabelled mentions by each scorer has got (written by its task)."""

    list_display = ["scorer", "started_at", "rescored", "to_rescore", "done"]
