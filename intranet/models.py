"""The intranet's data: people (profiles and skills), posts in the company feed and in groups (with comments,
reactions, images and moderation), ideas (IdeaStorm: ideas, one vote per employee, comments and a status history),
and workplace feedback with the quarterly eNPS pulse.

Rows brought in by `intranet_import` keep the old intranet's id in `external_id` (unique where set), so a
second import finds them instead of creating them twice. Anonymous feedback and pulse answers keep no
external id, no author, no time of day and no sequential id (see Feedback)."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def _photo_path(profile, filename: str) -> str:
    # A random name: the address of a photo says nothing about whose it is.
    return f"intranet/photos/{uuid.uuid4().hex}.jpg"


class Hideable(models.Model):
    """Content a moderator can hide, with a reason its author sees."""

    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class WithoutSearchDocumentManager(models.Manager):
    """Rows without their `search_document` (a tsvector as long as the text, read only by search, which
    names it): feeds and lists never fetch it."""

    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class Skill(models.Model):
    """A skill or interest, once however people spell its case ("Python", "python")."""

    name = models.CharField(max_length=40)
    key = models.CharField(
        max_length=40, unique=True, help_text="The name in lower case: what search and filters match."
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What an employee tells colleagues about themselves, and which of it the directory shows.

    Departments are the user's department memberships (accounts): nobody keeps them twice.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    title = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    bio = models.CharField(max_length=2000, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="skilled")
    interests = models.ManyToManyField(Skill, blank=True, related_name="interested")
    show_photo = models.BooleanField(default=True)
    show_title = models.BooleanField(default=True)
    show_department = models.BooleanField(default=True)
    show_location = models.BooleanField(default=True)
    show_start_date = models.BooleanField(default=True)
    show_bio = models.BooleanField(default=True)
    show_skills = models.BooleanField("show skills and interests", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The new joiners list.
            models.Index(fields=["start_date"], name="profile_start_date_idx"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Idea(models.Model):
    """An employee's idea. `vote_count` is kept exact by intranet.idea_services (row lock on the idea)."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        UNDER_REVIEW = "under_review", "Under review"
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DECLINED = "declined", "Declined"

    class Category(models.TextChoices):
        PRODUCT = "product", "Product and flavours"
        WORKPLACE = "workplace", "Workplace"
        PROCESS = "process", "Process and tools"
        CUSTOMERS = "customers", "Customers"
        SUSTAINABILITY = "sustainability", "Sustainability"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10_000)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField(blank=True, max_length=5_000)
    official_response = models.TextField(blank=True, max_length=10_000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_ideas",
        help_text="Who answers it: the first manager to change its status, unless set.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_ideas"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    vote_count = models.PositiveIntegerField(default=0)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # Search (intranet.search_selectors): on PostgreSQL a trigger keeps it to the title (weight A) and the
    # description (B), GIN-indexed (migration 0007_search); always empty on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = WithoutSearchDocumentManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("manage_ideas", "Can change the status of ideas, answer and merge them")]
        indexes = [models.Index(fields=["-vote_count", "-id"], name="idea_top_idx")]
        constraints = [
            # A retried submission (double click, API retry) finds the author's idea instead of a duplicate.
            models.UniqueConstraint(Lower("title"), "author", name="idea_author_title_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.merged_into_id is None and self.status not in (self.Status.DONE, self.Status.DECLINED)


class IdeaVote(models.Model):
    """One employee's vote on one idea; taking it back deletes the row."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes")
    created_at = models.DateTimeField(default=timezone.now)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "voter"], name="idea_vote_once")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.idea}"


class IdeaComment(Hideable):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments")
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class IdeaEvent(models.Model):
    """The idea's history: each status change (with its reason) and a merge."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        MERGED = "merged", "Merged"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.kind} {self.to_status}"


# --- Posts and groups -------------------------------------------------------------


class Group(models.Model):
    """A space anyone can join, with its own feed (posts whose `group` is it)."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="intranet_groups"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="group_name_once")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class Post(Hideable):
    """A post in the company feed (no group) or in a group's feed. `text` is the Markdown its author
    wrote; `html` is it rendered and sanitised (intranet.markup), kept so the feed never renders."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    text = models.TextField(max_length=20_000)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    submit_token = models.UUIDField(
        null=True, blank=True, editable=False, help_text="The form's one-time token: a form sent twice finds the post."
    )
    # Search (intranet.search_selectors): on PostgreSQL a trigger keeps it to `text`'s words, GIN-indexed
    # (migration 0007_search); always empty on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = WithoutSearchDocumentManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_intranet", "Can hide intranet posts and comments and work the report queue")]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="post_feed_idx"),
            models.Index(fields=["group", "-created_at", "-id"], name="post_group_feed_idx"),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            # The few pinned posts at the top of a feed, found without scanning the feed.
            models.Index(
                fields=["group", "-pinned_at"], condition=models.Q(pinned_at__isnull=False), name="post_pinned_idx"
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["author", "submit_token"], name="post_submit_once")]

    def __str__(self) -> str:
        return self.text[:50]


class PostImage(models.Model):
    """An image attached to a post: checked and re-encoded like a profile photo, metadata stripped."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="intranet/posts/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class PostComment(Hideable):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_comments")
    text = models.TextField(max_length=5_000)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    submit_token = models.UUIDField(
        null=True, blank=True, editable=False, help_text="The form's one-time token: a form sent twice finds it."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="post_comment_idx")]
        constraints = [models.UniqueConstraint(fields=["author", "submit_token"], name="post_comment_submit_once")]

    def __str__(self) -> str:
        return self.text[:50]


class PostReaction(models.Model):
    """One reaction per person per post; choosing another kind replaces it."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        CELEBRATE = "celebrate", "Celebrate"
        INSIGHTFUL = "insightful", "Insightful"
        SUPPORT = "support", "Support"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reactions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.LIKE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_reaction_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.post_id}"


class ContentReport(models.Model):
    """An employee's report of a post or a comment (exactly one of the three), in the moderators' queue
    until a moderator hides the content or dismisses the report."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        HIDDEN = "hidden", "Content hidden"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(PostComment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    idea_comment = models.ForeignKey(
        IdeaComment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(post__isnull=False, comment__isnull=True, idea_comment__isnull=True)
                    | models.Q(post__isnull=True, comment__isnull=False, idea_comment__isnull=True)
                    | models.Q(post__isnull=True, comment__isnull=True, idea_comment__isnull=False)
                ),
                name="content_report_one_target",
            ),
            # A retried report finds the first one.
            models.UniqueConstraint(fields=["reporter", "post"], name="report_post_once"),
            models.UniqueConstraint(fields=["reporter", "comment"], name="report_comment_once"),
            models.UniqueConstraint(fields=["reporter", "idea_comment"], name="report_idea_comment_once"),
        ]
        indexes = [models.Index(fields=["outcome", "created_at"], name="report_queue_idx")]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id}: {self.reason[:40]}"


# --- Workplace feedback and the pulse ------------------------------------------------


class Feedback(models.Model):
    """Feedback on the working environment, or a suggestion for improvement, named or anonymous.

    Anonymous feedback keeps no trace of who gave it: `author` is empty, the day is kept but not the
    time (`created_on`), and the key is a random UUID, so neither a timestamp nor an id's order tells
    in which order it came. Its department is the one the giver chose to say (optional), for reports,
    which show anonymous groups of at least INTRANET_REPORT_MIN_GROUP only.
    """

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", "Feedback"
        SUGGESTION = "suggestion", "Suggestion"

    class Topic(models.TextChoices):
        WORKLOAD = "workload", "Workload and hours"
        TOOLS = "tools", "Tools and equipment"
        FACILITIES = "facilities", "Facilities and safety"
        MANAGEMENT = "management", "Management and communication"
        CULTURE = "culture", "Culture and recognition"
        GROWTH = "growth", "Learning and growth"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FEEDBACK)
    topic = models.CharField(max_length=12, choices=Topic.choices, default=Topic.OTHER)
    text = models.TextField(max_length=5_000)
    anonymous = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_on = models.DateField(default=timezone.localdate, db_index=True)
    answer = models.TextField(blank=True, max_length=5_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # A retry (a double click, a resent form) finds the row made the first time: the SHA-256 of what was
    # said, by whom (nobody, when anonymous), on which day. Made from the content alone, so it links no one.
    digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(author__isnull=True, external_id__isnull=True),
                name="feedback_anonymous_no_trace",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.created_on}"


class PulseResponse(models.Model):
    """One answer to the quarterly eNPS question, kept apart from who gave it: a random UUID, no author and
    not even the day (its quarter's first day). PulseParticipation records that someone answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    quarter = models.CharField(max_length=7, help_text="Like 2026-Q3, in the organisation's time zone.")
    score = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=2_000, blank=True)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The first day of its quarter, not the day of the answer: the days answers came in, set beside the
    # order in which PulseParticipation rows were made, could pair answers with people.
    created_on = models.DateField(default=timezone.localdate, help_text="The first day of its quarter.")

    class Meta:
        ordering = ["quarter", "id"]
        indexes = [models.Index(fields=["quarter"], name="pulse_quarter_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=10), name="pulse_score_0_10")]

    def __str__(self) -> str:
        return f"{self.quarter}: {self.score}"


class PulseParticipation(models.Model):
    """That this person answered this quarter's pulse (never what): one answer each per quarter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "quarter"], name="pulse_once_per_quarter")]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.quarter}"


# --- Import from an old intranet (intranet_import) --------------------------------------


class ImportedKey(models.Model):
    """That an anonymous feedback line with some external id was imported once: the SHA-256 digest of that
    id, and nothing else. No link to any feedback row, no time and no sequential id (the digest is the key),
    so a second import creates nothing while the anonymous row keeps no trace of where it came from."""

    digest = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.digest


class ImportedAccount(models.Model):
    """An account waiting to be claimed: made by intranet_import for an author without one, or by an admin's
    invitation (`invited_by`). Inactive, with no usable password, until its owner sets one through the
    invitation's link or a password reset (intranet.claim), which activates it and deletes this row.
    Deleting the row by hand keeps an unclaimed account from ever being claimed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="imported_account"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Imported account {self.user_id}, not yet claimed"
