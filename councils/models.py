"""The Brand and Customer Advisory Councils: seats and terms, meetings with executives, reports, spotlights.

Invariants live in the database where it can hold them: a council has exactly six numbered seats of a
fixed kind (rows made by the migration), a seat has at most one current holder, a person holds at most
one current seat per council, a council has at most one chair, a report exists once per council and
quarter, an action item always has an owner. The services lock the council row and count before they
seat anyone, and the constraints are the backstop under concurrency (as the ambassador cap is).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

NOTE_MAX = 2000  # reasons, short notes
TEXT_MAX = 50_000  # agendas, minutes, decisions, report notes, interviews
TITLE_MAX = 200
QUARTER_PATTERN = r"^[0-9]{4}-Q[1-4]$"


def _text(limit: int, **options) -> models.TextField:
    """A TextField that enforces its maximum length and refuses NUL characters (PostgreSQL cannot store them)."""
    return models.TextField(
        max_length=limit, validators=[MaxLengthValidator(limit), ProhibitNullCharactersValidator()], **options
    )


class SeatKind(models.TextChoices):
    BRAND_ADVOCATE = "brand_advocate", "Brand advocate"  # a customer, an active ambassador
    CUSTOMER_ADVOCATE = "customer_advocate", "Customer advocate"  # an employee


class Council(models.Model):
    """One of the two councils. Seating locks this row, so seats are counted one at a time."""

    class Kind(models.TextChoices):
        BRAND = "brand", "Brand Advisory Council"
        CUSTOMER = "customer", "Customer Advisory Council"

    # Six seats each: {kind: count}. The migration makes the Seat rows from this; the database keeps them.
    COMPOSITION = {
        Kind.BRAND: {SeatKind.BRAND_ADVOCATE: 4, SeatKind.CUSTOMER_ADVOCATE: 2},
        Kind.CUSTOMER: {SeatKind.CUSTOMER_ADVOCATE: 4, SeatKind.BRAND_ADVOCATE: 2},
    }

    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=100)
    purpose = _text(NOTE_MAX, blank=True)
    # Members are put in this group while seated: it carries the council's oversight permissions.
    group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="council")

    class Meta:
        ordering = ["kind"]
        permissions = [
            ("manage_councils", "Can nominate council members, schedule meetings and publish reports"),
            ("publish_spotlights", "Can publish employee spotlights"),
            ("propose_invitations", "Can propose ambassador invitations for a manager to confirm"),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """One of a council's six seats, of a fixed kind. Vacant when no current Term holds it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=SeatKind.choices)

    class Meta:
        ordering = ["council", "number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="council_seat_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="council_seat_1_6"),
        ]

    def __str__(self) -> str:
        return f"{self.council} seat {self.number} ({self.get_kind_display()})"


class Term(models.Model):
    """A person holding a seat from `starts_on` to `ends_on`. Current while `vacated_at` is empty.

    A Customer-council brand advocate's term depends on their Brand-council term (`depends_on`):
    when that one ends, this one ends in the same transaction.
    """

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="terms")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="terms")  # = seat.council
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_terms")
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_chair = models.BooleanField(default=False)
    depends_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="dependants")
    nomination = models.OneToOneField(
        "councils.Nomination", null=True, blank=True, on_delete=models.SET_NULL, related_name="term"
    )
    seated_at = models.DateTimeField()
    vacated_at = models.DateTimeField(null=True, blank=True)
    vacated_reason = _text(NOTE_MAX, blank=True)

    class Meta:
        ordering = ["council", "seat__number", "-seated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"], condition=Q(vacated_at__isnull=True), name="council_seat_one_current_holder"
            ),
            models.UniqueConstraint(
                fields=["council", "user"], condition=Q(vacated_at__isnull=True), name="council_member_once"
            ),
            models.UniqueConstraint(
                fields=["council"], condition=Q(vacated_at__isnull=True, is_chair=True), name="council_one_chair"
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="council_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.seat}"


class Nomination(models.Model):
    """Staff propose a person for a kind of seat; the nominee accepts or declines by an emailed link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "No seat left"  # accepted too late: every seat of its kind was taken

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="nominations")
    kind = models.CharField(max_length=20, choices=SeatKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_nominations")
    token = models.CharField(max_length=64, unique=True, editable=False)  # the emailed link's secret
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = _text(NOTE_MAX, blank=True, help_text="A personal note, quoted in the email.")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = _text(NOTE_MAX, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"], condition=Q(status="pending"), name="council_nomination_one_pending"
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="council_nomination_term_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.council} ({self.get_status_display()})"


class SeatEvent(models.Model):
    """One line of a council's history: nominated, accepted, declined, seated, vacated, chair given…"""

    class Kind(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        DECLINED = "declined", "Declined"
        SEATED = "seated", "Seated"
        VACATED = "vacated", "Vacated"
        CHAIR = "chair", "Made chair"
        WITHDRAWN = "withdrawn", "Nomination withdrawn"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="events")
    seat = models.ForeignKey(Seat, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = _text(NOTE_MAX, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.council}: {self.get_kind_display()} {self.user or ''}"


class Meeting(models.Model):
    """A council's quarterly meeting with executives. Times are stored in UTC, shown in the organisation's zone."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the calendar event's UID
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=TITLE_MAX)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=TITLE_MAX, blank=True)
    video_url = models.URLField(blank=True)
    agenda = _text(TEXT_MAX, blank=True)
    minutes = _text(TEXT_MAX, blank=True)
    decisions = _text(TEXT_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)  # the calendar SEQUENCE: bumped when the time changes
    week_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    day_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # A retried create (the API's Idempotency-Key, the form's one-time token) finds this meeting instead.
    idempotency_key = models.CharField(max_length=150, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="council_meeting_ends_after_start"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_url=""), name="council_meeting_has_place"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """A council member or an executive invited to a meeting, who accepts or declines."""

    class Role(models.TextChoices):
        MEMBER = "member", "Council member"
        EXECUTIVE = "executive", "Executive"
        GUEST = "guest", "Guest"

    class Response(models.TextChoices):
        PENDING = "pending", "No answer yet"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_meetings")
    role = models.CharField(max_length=10, choices=Role.choices)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)  # when the invitation email went (claimed once)

    class Meta:
        ordering = ["meeting", "role", "user__email"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="council_attendee_once")]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"


class ActionItem(models.Model):
    """Something a meeting decided someone will do. Open items carry over to the council's next meeting."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField(max_length=TITLE_MAX)
    details = _text(NOTE_MAX, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=150, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="council_action_item_has_title"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="council_action_item_closed_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """A council's report for one quarter: the council's notes, and once published, the frozen figures.

    A draft's figures are computed when asked; publishing stores them in `data`, after which later
    changes to mentions, ideas or anything else no longer move them.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="reports")
    quarter = models.CharField(max_length=7, validators=[RegexValidator(QUARTER_PATTERN)])  # "2026-Q3"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = _text(TEXT_MAX, blank=True, help_text="The council's own notes, Markdown.")
    data = models.JSONField(null=True, blank=True)  # the computed report, frozen at publication
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["council", "quarter"], name="council_report_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__regex=QUARTER_PATTERN), name="council_report_quarter_format"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False, data__isnull=False),
                name="council_report_published_has_data",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.quarter} ({self.get_status_display()})"


class Spotlight(models.Model):
    """An employee spotlight (interview, photo, quote) that the Customer Advisory Council publishes for
    customers at /spotlights/. It is shown only while published and while the employee's consent stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    slug = models.SlugField(max_length=80, unique=True)
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spotlights")
    title = models.CharField(max_length=TITLE_MAX)
    quote = _text(NOTE_MAX)
    interview = _text(TEXT_MAX, help_text="Markdown.")
    photo = models.ImageField(upload_to="spotlights/", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    consent_at = models.DateTimeField(null=True, blank=True)  # when the employee consented
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(consent_at__isnull=False, consent_withdrawn_at__isnull=True),
                name="spotlight_published_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.title
