"""The intranet's data: people (profiles and skills) and ideas (IdeaStorm: ideas, one vote per employee, comments
and a status history)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


def _photo_path(profile, filename: str) -> str:
    # A random name: the address of a photo says nothing about whose it is.
    return f"intranet/photos/{uuid.uuid4().hex}.jpg"


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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    vote_count = models.PositiveIntegerField(default=0)

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "voter"], name="idea_vote_once")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.idea}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments")
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField(auto_now_add=True)

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
