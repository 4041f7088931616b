import uuid

from django.conf import settings
from django.db import models


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
