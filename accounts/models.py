from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey

from accounts.roles import has_role, user_roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The email address is the login; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    notification_digest = models.BooleanField(
        "daily email digest",
        default=False,
        help_text="Email me once a day the notifications I have not read and were not emailed already.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split() or [self.email])[0]

    @property
    def roles(self) -> frozenset[str]:
        return user_roles(self)

    def has_role(self, *roles: str) -> bool:
        return has_role(self, *roles)


class ApiKey(AbstractAPIKey):
    """A key for an integration: hashed at rest (SHA-512), shown once, scoped, revocable.

    The key reads `<prefix>.<secret>`; only the prefix and the hash are stored.
    """

    scopes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The one-time token of the page's create form: the form sent again (a reload) finds this key
    # instead of making a second one. Not a secret, and nothing to do with the key itself.
    creation_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        ordering = ["-created"]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class Department(models.Model):
    """A team of the company that findings are routed to (marketing, PR, customer service…).

    Insights and the intranet both read departments, so they live here, below both. The lead is
    one of the members: the services keep that true (a lead who leaves stops being the lead).
    """

    slug = models.SlugField(max_length=50, unique=True, help_text="Its address: /departments/<slug>/.")
    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="departments_led"
    )
    members = models.ManyToManyField(
        "accounts.User", through="accounts.DepartmentMembership", related_name="departments", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DepartmentMembership(models.Model):
    """One person in one department; the row exists once per pair, whatever the concurrency."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="department_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="department_membership_once"),
        ]
        ordering = ["department", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.department}"


class Notification(models.Model):
    """Something in the app for one person to see (a finding routed to their department…), with a link.

    Generic: any app writes them through `accounts.services.notify()`. `emailed_at` records the email
    sent for it, so a retried email task sends nobody the same mail twice.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, help_text="A path of this site, e.g. /insights/findings/12/.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread count in the navigation, on every page.
            models.Index(fields=["user", "read_at"], name="notification_user_read_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.text}"


class NotificationDigest(models.Model):
    """That `user`'s daily digest of `day` (the organisation's date) was emailed: one a day, whatever retries
    or a second run of the digest task do (the unique constraint holds under concurrency)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notification_digests")
    day = models.DateField()
    sent_at = models.DateTimeField()
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="notification_digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest of {self.day} for {self.user}"
