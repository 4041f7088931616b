"""Listening data: channels, tracked terms, mentions, and their rollups."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.Model):
    """Where a mention was said: a social network, a blog, a call centre…"""

    class Kind(models.TextChoices):
        ONLINE = "online", "Online"
        OFFLINE = "offline", "Offline"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ONLINE)
    is_active = models.BooleanField(default=True)
    # Speed is a KPI: how soon a mention here should get its first answer. Empty: no target (news).
    response_target_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="First-response target in minutes; empty for none."
    )
    # Told when a mention here becomes overdue and nobody is assigned to it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="channels_owned"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrackedTerm(models.Model):
    """A brand, product or competitor, found in mentions by its query (insights.query)."""

    class Kind(models.TextChoices):
        BRAND = "brand", "Brand"
        PRODUCT = "product", "Product"
        COMPETITOR = "competitor", "Competitor"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    query = models.TextField(help_text='Words, "phrases", @handles, #hashtags, OR, AND, NOT/-, ( ), NEAR/n, word*')
    # False: retired. It matches no new mention; the mentions it matched, and their rollups, keep it.
    is_active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"
    UNSCORED = "unscored", "Unscored"  # a language the model does not read: never counted as neutral


# Mentions still in the triage queue (insights.triage.needs_attention): new or assigned.
OPEN = Q(status__in=["new", "assigned"])


class Mention(models.Model):
    """One thing someone said about the brand, its products or its competitors."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        RESPONDED = "responded", "Responded"
        NO_ACTION = "no_action", "No action needed"
        ROUTED = "routed", "Routed"

    class ResponseKind(models.TextChoices):
        REPLY = "reply", "Reply"
        SHOUT_OUT = "shout_out", "Shout-out"
        GIFT = "gift", "Gift"

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="mentions")
    source = models.CharField(max_length=64, help_text="The system it came from, e.g. 'brandwatch', 'csv', 'feed:12'.")
    external_id = models.CharField(max_length=128, help_text="Its id in that system (a string: ids exceed 2^53).")
    url = models.URLField(max_length=2000, blank=True)
    author_handle = models.CharField(max_length=255, blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    author_reach = models.PositiveBigIntegerField(default=0)
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    published_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)

    # The label that counts: the model's, until a staff member corrects it.
    sentiment_label = models.CharField(max_length=10, choices=Sentiment.choices, default=Sentiment.UNSCORED)
    sentiment_score = models.FloatField(null=True, blank=True)  # the model's compound score, -1…1
    sentiment_confidence = models.FloatField(null=True, blank=True)  # 0…1
    model_label = models.CharField(max_length=10, choices=Sentiment.choices, default=Sentiment.UNSCORED)
    sentiment_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: the model set it
    sentiment_set_at = models.DateTimeField(null=True, blank=True)
    # Which scorer looked at it last: a learned version's id, or null for the configured scorer (VADER). Re-scoring
    # (insights.services.sentiment_rescore) picks up the unlabelled mentions the active scorer has not scored,
    # such as those ingested with VADER while a model too slow for bulk ingest was active.
    scored_by_version = models.PositiveBigIntegerField(null=True, blank=True)

    terms = models.ManyToManyField(TrackedTerm, through="MentionTerm", related_name="mentions", blank=True)

    # Triage (insights.services.triage): every change is also a MentionAction.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_mentions"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="routed_mentions"
    )
    tags = models.ManyToManyField("Tag", blank=True, related_name="mentions")
    is_question = models.BooleanField(default=False, db_default=False)  # a "?" or a question word: set at ingest

    # Response time: the first response counts, whoever reports it (a person, an integration, a thank-you).
    response_due_at = models.DateTimeField(null=True, blank=True)  # published_at + the channel's target; null: none
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_response_url = models.URLField(max_length=2000, blank=True, db_default="")
    first_response_kind = models.CharField(max_length=10, choices=ResponseKind.choices, blank=True, db_default="")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)  # the overdue email went out, once

    class Meta:
        constraints = [
            # Idempotent ingestion: a retried batch creates nothing twice.
            models.UniqueConstraint(fields=["source", "external_id"], name="mention_unique_source_external_id"),
            models.CheckConstraint(
                condition=Q(sentiment_score__isnull=True) | Q(sentiment_score__gte=-1, sentiment_score__lte=1),
                name="mention_sentiment_score_range",
            ),
            models.CheckConstraint(
                condition=Q(sentiment_confidence__isnull=True)
                | Q(sentiment_confidence__gte=0, sentiment_confidence__lte=1),
                name="mention_sentiment_confidence_range",
            ),
        ]
        indexes = [
            # Rollups recompute touched hours: a range scan on published_at.
            models.Index(fields=["published_at"], name="mention_published_idx"),
            # The API's default order and cursor.
            models.Index(fields=["-published_at", "-id"], name="mention_recent_idx"),
            # The review queue's pool (insights.selectors.review.sentiment_review_queue): the least confident
            # mentions of each label that no person labelled, newest first among equals: one range a label.
            models.Index(
                fields=["sentiment_label", "sentiment_confidence", "-published_at", "-id"],
                name="mention_review_pool_idx",
                condition=Q(sentiment_set_by__isnull=True, sentiment_confidence__isnull=False),
            ),
            # The overdue queue and its emails: unanswered mentions with a target, by due time.
            models.Index(
                fields=["response_due_at"],
                name="mention_unanswered_due_idx",
                condition=Q(first_response_at__isnull=True, response_due_at__isnull=False),
            ),
            # Responded mentions by when they were said: response times per week, channel, department.
            models.Index(
                fields=["published_at"], name="mention_responded_idx", condition=Q(first_response_at__isnull=False)
            ),
            # The inbox filtered by label, newest first: its first page reads one range.
            models.Index(fields=["sentiment_label", "-published_at", "-id"], name="mention_label_recent_idx"),
            # The triage queue: open mentions are a few percent of all; its pages and counts read only them.
            models.Index(fields=["-published_at", "-id"], name="mention_open_recent_idx", condition=OPEN),
            models.Index(
                fields=["sentiment_label", "-published_at", "-id"], name="mention_open_label_idx", condition=OPEN
            ),
            models.Index(fields=["author_reach"], name="mention_open_reach_idx", condition=OPEN),  # "high reach"
            # A mention's page: the author's earlier mentions on the same channel, and their totals.
            models.Index(fields=["channel", "author_handle", "-published_at"], name="mention_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"

    @property
    def engagement(self) -> int:
        return self.likes + self.shares + self.comments


class Tag(models.Model):
    """A word staff put on mentions to find them again (refund, outage, launch…)."""

    name = models.SlugField(max_length=50, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MentionAction(models.Model):
    """One step in a mention's thread: who did what, when. Written by insights.services.triage only."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        UNASSIGNED = "unassigned", "Unassigned"
        ROUTED = "routed", "Routed"
        UNROUTED = "unrouted", "Taken back from a department"
        RESPONDED = "responded", "Responded"
        THANKED = "thanked", "Thanked"
        NO_ACTION = "no_action", "Marked no action needed"
        REOPENED = "reopened", "Reopened"
        TAGGED = "tagged", "Tagged"
        UNTAGGED = "untagged", "Untagged"
        RELABELLED = "relabelled", "Relabelled"

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: the system
    at = models.DateTimeField()
    detail = models.CharField(max_length=300, blank=True)  # "to Ana", "customer-service", "negative → positive"…
    status_before = models.CharField(max_length=10, choices=Mention.Status.choices, blank=True)
    status_after = models.CharField(max_length=10, choices=Mention.Status.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["mention", "at"], name="mentionaction_thread_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id}: {self.kind}"


class SavedView(models.Model):
    """A person's named filter of the triage inbox (its query string)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True)  # the inbox's query string, without "?"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedview_unique_name")]

    def __str__(self) -> str:
        return self.name


class MentionTerm(models.Model):
    """A mention matched a tracked term."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="term_links")
    term = models.ForeignKey(TrackedTerm, on_delete=models.CASCADE, related_name="mention_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "term"], name="mentionterm_unique")]
        indexes = [models.Index(fields=["term", "mention"], name="mentionterm_term_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id} → {self.term_id}"


class RollupBase(models.Model):
    """Counts for one bucket × channel × term × label.

    `term` is null in the rows that count each mention once (for totals by
    channel or label); a row with a term counts the mentions that matched it.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(TrackedTerm, null=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=10, choices=Sentiment.choices)
    count = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0)
    reach_sum = models.PositiveBigIntegerField(default=0)
    engagement_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.bucket} {self.channel_id}/{self.term_id or '*'}/{self.label}: {self.count}"


class HourlyRollup(RollupBase):
    bucket = models.DateTimeField(help_text="The hour's start, in UTC.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "channel", "term", "label"], name="hourly_rollup_unique"),
            models.UniqueConstraint(
                fields=["bucket", "channel", "label"], condition=Q(term__isnull=True), name="hourly_rollup_unique_total"
            ),
        ]
        indexes = [models.Index(fields=["bucket", "term"], name="hourly_rollup_bucket_idx")]


class DailyRollup(RollupBase):
    bucket = models.DateField(help_text="The day, in the organisation's time zone (TIME_ZONE).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "channel", "term", "label"], name="daily_rollup_unique"),
            models.UniqueConstraint(
                fields=["bucket", "channel", "label"], condition=Q(term__isnull=True), name="daily_rollup_unique_total"
            ),
        ]
        indexes = [models.Index(fields=["bucket", "term"], name="daily_rollup_bucket_idx")]


class DailyTermRollup(models.Model):
    """Counts for one day × term × label over every channel: DailyRollup's rows summed by channel.

    Series by term or label with no channel filter read these: a year by term is about 12,000
    rows here against about 125,000 there (one per channel). The rollup pass refills the days it
    recounts from their DailyRollup rows, in the same transaction, so the two never disagree.
    As in DailyRollup, a null `term` counts each mention once.
    """

    bucket = models.DateField(help_text="The day, in the organisation's time zone (TIME_ZONE).")
    term = models.ForeignKey(TrackedTerm, null=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=10, choices=Sentiment.choices)
    count = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0)
    reach_sum = models.PositiveBigIntegerField(default=0)
    engagement_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            # Its index, led by the day, also serves the series' range reads: no other index.
            models.UniqueConstraint(fields=["bucket", "term", "label"], name="daily_term_rollup_unique"),
            models.UniqueConstraint(
                fields=["bucket", "label"], condition=Q(term__isnull=True), name="daily_term_rollup_unique_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.term_id or '*'}/{self.label}: {self.count}"


class RollupMark(models.Model):
    """An hour whose mentions changed since the last rollup pass (append-only).

    Marks are never deduplicated by a unique key: a pass deletes exactly the marks
    it read, so a mark written while it runs survives for the next pass.
    """

    hour = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} UTC"


class Feed(models.Model):
    """An RSS or Atom feed (a blog, news site, review site) polled by Celery beat.

    Only entries that match a tracked term become mentions (source `feed:<id>`).
    """

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="feeds")
    is_active = models.BooleanField(default=True)
    poll_minutes = models.PositiveIntegerField(default=30)
    # Conditional GET: the server's validators from the last 200 answer.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    entries_seen = models.PositiveIntegerField(default=0)
    mentions_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(poll_minutes__gte=5), name="feed_poll_minutes_min")]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return f"feed:{self.pk}"


class MentionImport(models.Model):
    """A CSV file of mentions imported in the background, with its progress."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for the column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"  # never started: its stored file is deleted

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    encoding = models.CharField(max_length=20, default="utf-8")
    delimiter = models.CharField(max_length=1, default=",")
    # CSV column -> bulk-contract field (text, published_at, author.handle…), plus fixed values.
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejected_file = models.FileField(upload_to="imports/rejected/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class Alert(models.Model):
    """A volume spike or a negative-sentiment surge on a term: one alert per episode."""

    class Kind(models.TextChoices):
        VOLUME_SPIKE = "volume_spike", "Volume spike"
        NEGATIVE_SURGE = "negative_surge", "Negative surge"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    term = models.ForeignKey(TrackedTerm, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(help_text="When the condition last held (the end of its 60-minute window).")
    observed = models.FloatField(help_text="Mentions in 60 minutes, or their negative share.")
    baseline = models.FloatField(help_text="The trailing baseline it was compared with.")
    mentions = models.ManyToManyField(Mention, related_name="alerts", blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # Raised once per episode: while one is not closed, no second one for the same term and kind.
            models.UniqueConstraint(
                fields=["term", "kind"], condition=~Q(status="closed"), name="alert_one_open_per_term_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.term}"


class AlertSubscription(models.Model):
    """A staff member follows a term's alerts, by email at once or in an hourly digest."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Email at once"
        HOURLY = "hourly", "Hourly digest"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions")
    term = models.ForeignKey(TrackedTerm, on_delete=models.CASCADE, related_name="subscriptions")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.HOURLY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "term"], name="alertsubscription_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.term} ({self.delivery})"


class AlertNotification(models.Model):
    """An alert emailed to a subscriber: never twice, whether at once or in a digest."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)  # null: waiting for the next digest

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alertnotification_unique")]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user}"


class Finding(models.Model):
    """What the Customer Insights Team learned and what a department should do about it.

    Routed to one or more departments, whose members acknowledge it and say what they will do; the
    status moves new → acknowledged → in progress → done | declined (insights.services.findings).
    Every change is a FindingEvent: the timeline.
    """

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DECLINED = "declined", "Declined"

    CLOSED = (Status.DONE, Status.DECLINED)

    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=10_000)
    recommended_action = models.TextField(max_length=10_000)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField(max_length=5_000, blank=True)
    departments = models.ManyToManyField("accounts.Department", related_name="findings")
    # Evidence: the mentions behind it, and a rollup chart of a term over a date range.
    mentions = models.ManyToManyField(Mention, related_name="findings", blank=True)
    chart_term = models.ForeignKey(TrackedTerm, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chart_start = models.DateField(null=True, blank=True)
    chart_end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A retried create (the API's Idempotency-Key, the form's one-time token) finds this finding instead
    # of making a second one: "<who>:<key>", unique.
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="finding_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(chart_start__isnull=True, chart_end__isnull=True)
                | Q(chart_start__isnull=False, chart_end__isnull=False, chart_start__lte=models.F("chart_end")),
                name="finding_chart_range",
            ),
        ]
        indexes = [
            # The boards: open findings by due date; the councils' quarter by creation date.
            models.Index(fields=["status", "due"], name="finding_status_due_idx"),
            models.Index(fields=["created_at"], name="finding_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class FindingEvent(models.Model):
    """One change to a finding: who, when, what. The finding's timeline, append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        STATUS = "status", "Status changed"
        REPLIED = "replied", "Replied"
        DECLINED = "declined", "Declined"
        REOPENED = "reopened", "Reopened"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(max_length=150, blank=True, help_text="An integration's API key, when no person did it.")
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=15, choices=Finding.Status.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=Finding.Status.choices, blank=True)
    text = models.TextField(blank=True, help_text="The reply, the reason, or what was edited.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.kind}"


class ResponseDailyRollup(models.Model):
    """Response-time counts of one day (the organisation's, by when the mentions were published), at three grains:

    - a channel (`department` null): that channel's mentions, routed or not;
    - a department (`channel` null): the mentions routed to it, over every channel;
    - the day (both null): every mention of the day.

    Only mentions that need a response count (status not "no action needed"). `histogram` maps the lower edge
    of a response-time step (whole minutes; insights.selectors.responses.minute_step) to how many responded
    mentions fell in it, so that percentiles over any range are sums, not scans. `overdue` is as of the pass
    that counted it (ResponseRollupClock); the API adds, live, the mentions that fell due since.
    Written only by the rollup pass (insights.services.rollups), which replaces a day's rows whole.
    """

    bucket = models.DateField(help_text="The day, in the organisation's time zone (TIME_ZONE).")
    channel = models.ForeignKey(Channel, null=True, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("accounts.Department", null=True, on_delete=models.CASCADE, related_name="+")
    mentions = models.PositiveIntegerField(default=0)  # needing a response
    responded = models.PositiveIntegerField(default=0)
    within_target = models.PositiveIntegerField(default=0)  # responded by their due time (or with no target)
    overdue = models.PositiveIntegerField(default=0)  # no response and past due, when the pass counted
    histogram = models.JSONField(default=dict)  # {"<step's lower edge, minutes>": responded mentions}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "channel"], condition=Q(department__isnull=True), name="response_rollup_channel"
            ),
            models.UniqueConstraint(
                fields=["bucket", "department"], condition=Q(channel__isnull=True), name="response_rollup_department"
            ),
            models.CheckConstraint(
                condition=Q(channel__isnull=True) | Q(department__isnull=True), name="response_rollup_one_grain"
            ),
        ]
        # The unique constraints' indexes, led by the day, serve the API's range reads.

    def __str__(self) -> str:
        return f"{self.bucket} {self.channel_id or '*'}/{self.department_id or '*'}: {self.mentions}"


class ResponseRollupClock(models.Model):
    """One row: when the rollup pass last counted overdue mentions. The next pass recounts the days of the mentions
    that fell due since, so every ResponseDailyRollup row's `overdue` holds as of this moment."""

    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"overdue counted at {self.counted_at:%Y-%m-%d %H:%M}"


class SentimentModel(models.Model):
    """One trained version of the learned sentiment scorer (insights.learned), with what cross-validation said of it.

    Stored here, not on a worker's disk, so it survives restarts and every worker loads the same one. The
    weights are numpy arrays in an .npz blob (no pickle: loading runs no code); `settings` holds the hashing
    and fitting settings it was made with (`recipe`). At most one version is active; none active means VADER scores.
    Written only by insights.services.sentiment_models.
    """

    trained_at = models.DateTimeField()
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: the Celery task (enough corrections, or the nightly run)
    # The human labels it learned from: how many, and the moment they were read (corrections after it are new).
    labels = models.PositiveIntegerField()
    labels_as_of = models.DateTimeField()
    cv_accuracy = models.FloatField()  # on held-out folds
    macro_f1 = models.FloatField()
    # What it had to beat on the same labels and folds: VADER's accuracy, or the active version's, recomputed.
    baseline = models.CharField(max_length=20)  # "vader" or "v<version>"
    baseline_accuracy = models.FloatField()
    # per_class {label: precision, recall, f1, support}, confusion {labels, matrix}, reliability [bins], folds
    metrics = models.JSONField(default=dict)
    recipe = models.JSONField(default=dict)  # insights.learned.DEFAULT_SETTINGS as they were
    parameters = models.BinaryField()  # insights.learned.LinearModel.to_bytes(): classes, weights, temperature
    training_set = models.BinaryField()  # .npz: the mention ids and labels it learned, to recompute it fairly
    is_active = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)  # why it became active, or why not
    activated_at = models.DateTimeField(null=True, blank=True)  # the last time it became active
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: activated by training
    # Its throughput over VADER's on the same texts, measured once when it first became active: ingest scores
    # with it only at INSIGHTS_SENTIMENT_INGEST_MIN_SPEED or more, otherwise with VADER (re-scoring catches up).
    speed_ratio = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Exactly one active version, or none (VADER): every worker agrees on which model scores.
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="sentimentmodel_one_active"
            ),
            models.CheckConstraint(
                condition=Q(cv_accuracy__gte=0, cv_accuracy__lte=1), name="sentimentmodel_cv_accuracy_range"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.pk}" + (" (active)" if self.is_active else "")

    @property
    def version(self) -> int:
        return self.pk


class SentimentRescore(models.Model):
    """How far re-scoring has come for one scorer: the unlabelled mentions, by id, up to `last_pk`.

    One row per scorer ("v<version>", or "vader" after a roll back to VADER), reset each time it becomes active.
    Kept in the database so that any worker continues where a killed one stopped: each batch commits its labels
    and this row together. Written only by insights.services.sentiment_rescore.
    """

    scorer = models.CharField(max_length=20, unique=True)  # "vader" or "v<version>"
    version = models.OneToOneField(
        SentimentModel, null=True, blank=True, on_delete=models.CASCADE, related_name="rescore"
    )  # null: VADER
    started_at = models.DateTimeField()
    last_pk = models.PositiveBigIntegerField(default=0)  # every unlabelled mention up to this id is done
    rescored = models.PositiveBigIntegerField(default=0)
    to_rescore = models.PositiveBigIntegerField(null=True, blank=True)  # null: not counted yet (the task counts)
    done = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.scorer}: {self.rescored}/{self.to_rescore or 0}" + (" done" if self.done else "")
