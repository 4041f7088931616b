"""The Brand Ambassador Program: invitations, seats, share kits, referrals and recognition.

Invariants live in the database where it can hold them: a seat number is unique per
program and between 1 and 100, one membership per person, one pending invitation per
email, one click per visitor per link per day, one conversion per order.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

SEAT_LIMIT_MAX = 100  # the hard cap of DESIGN.md; a program may set a lower limit, never a higher one
# The capability to invite ambassadors and manage the program (insights staff and admins by default;
# config/settings.py ROLE_DEFAULT_PERMISSIONS grants it, templates ask `perms.advocacy.manage_program`).
MANAGE_PROGRAM = "advocacy.manage_program"
# Oversight (granted to a group, e.g. the Brand Advisory Council's): open the program's read pages without
# changing anything, and propose invitations that a manager confirms. The program knows only these names.
READ_PROGRAM = "advocacy.read_program"
PROPOSE_INVITATION = "advocacy.propose_invitation"

# The longest texts the program keeps; forms and the API refuse longer ones with a message naming the field.
NOTE_MAX = 2000  # notes and reasons: an invitation's note, a decline, a membership's ending, a story's review
KIT_MESSAGE_MAX = 5000
POST_TEXT_MAX = 2000  # a suggested post
STORY_BODY_MAX = 20_000
SHOUT_OUT_MAX = 1000
PROGRAM_TEXT_MAX = 20_000  # the program's pitch and terms


def _text(limit: int, **options) -> models.TextField:
    """A TextField that enforces its maximum length (a TextField's max_length alone only sizes its form
    widget) and refuses NUL characters (PostgreSQL cannot store them), so full_clean() refuses both."""
    return models.TextField(
        max_length=limit, validators=[MaxLengthValidator(limit), ProhibitNullCharactersValidator()], **options
    )


class Program(models.Model):
    """The one ambassador program. Acceptances lock this row, so seats are counted one at a time."""

    name = models.CharField(max_length=100, default="Brand Ambassador Program")
    seat_limit = models.PositiveSmallIntegerField(default=SEAT_LIMIT_MAX)
    pitch = _text(PROGRAM_TEXT_MAX, blank=True, help_text="What the program offers, shown on the invitation page.")
    terms = _text(PROGRAM_TEXT_MAX, blank=True, help_text="The terms an invitee accepts.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [
            (MANAGE_PROGRAM.split(".")[1], "Can invite ambassadors and manage the program"),
            (READ_PROGRAM.split(".")[1], "Can see the program's pages, read-only"),
            (PROPOSE_INVITATION.split(".")[1], "Can propose an invitation for a program manager to confirm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(seat_limit__gte=1, seat_limit__lte=SEAT_LIMIT_MAX), name="program_seat_limit_1_100"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """An offer of a seat, sent by email. The token is shown once, in the email; only its hash is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"  # a freed seat, offered to the first in line

    class Source(models.TextChoices):
        MANUAL = "manual", "Invited by hand"
        DISCOVERY = "discovery", "Advocate discovery"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INVITATION)
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    note = _text(NOTE_MAX, blank=True, help_text="A personal note, quoted in the email.")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = _text(NOTE_MAX, blank=True)
    user = models.ForeignKey(  # who accepted it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the invitee was found: by hand, or by advocate discovery, from a mention author (channel + handle),
    # so the program can say how many ambassadors came from listening, and discovery marks the author invited.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    discovered_channel = models.ForeignKey(
        "insights.Channel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discovered_handle = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "program", condition=Q(status="pending"), name="invitation_one_pending_per_email"
            ),
            # Only a discovered invitation names an author (erasing a member's data may blank the handle).
            models.CheckConstraint(
                condition=Q(source="discovery") | Q(discovered_channel__isnull=True, discovered_handle=""),
                name="invitation_author_only_from_discovery",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["discovered_handle"], name="invitation_discovered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class InvitationProposal(models.Model):
    """Someone proposed for an invitation by a holder of PROPOSE_INVITATION; a manager confirms (which sends
    the real invitation through the invitation service) or declines with a reason. The proposer is told by
    email either way. One pending proposal per email: proposing the same person twice is refused."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a manager"
        CONFIRMED = "confirmed", "Confirmed: invitation sent"
        DECLINED = "declined", "Declined"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="proposals")
    email = models.EmailField()
    name = models.CharField(max_length=150, validators=[ProhibitNullCharactersValidator()])
    reason = _text(NOTE_MAX, help_text="Why this person: for the managers, never sent to them.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = _text(NOTE_MAX, blank=True)
    invitation = models.OneToOneField(  # the invitation that confirming sent
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "program", condition=Q(status="pending"), name="proposal_one_pending_per_email"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="proposal_declined_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class Membership(models.Model):
    """A person's place in the program. Active and paused members hold a seat; alumni do not."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ALUMNI = "alumni", "Alumni"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    seat = models.PositiveSmallIntegerField(null=True, blank=True)  # null once alumni
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = _text(NOTE_MAX, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)  # personal data anonymised on request

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "seat"], name="membership_one_person_per_seat"),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1, seat__lte=SEAT_LIMIT_MAX), name="membership_seat_1_100"
            ),
            models.CheckConstraint(
                condition=Q(status="alumni", seat__isnull=True) | (~Q(status="alumni") & Q(seat__isnull=False)),
                name="membership_seat_held_unless_alumni",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class MembershipEvent(models.Model):
    """One step in a member's history: joined, paused, resumed, left, removed, made alumni, erased."""

    class Kind(models.TextChoices):
        JOINED = "joined", "Joined"
        PAUSED = "paused", "Paused"
        RESUMED = "resumed", "Resumed"
        LEFT = "left", "Left"
        REMOVED = "removed", "Removed"
        ALUMNI = "alumni", "Made alumni"
        ERASED = "erased", "Personal data erased"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = _text(NOTE_MAX, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class WaitlistEntry(models.Model):
    """Someone who accepted when every seat was taken, in the order they accepted."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a seat"
        SEATED = "seated", "Seated"
        LAPSED = "lapsed", "Offer lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="waitlist")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entry")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    offer = models.OneToOneField(  # the waitlist offer made when a seat freed
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    joined_at = models.DateTimeField(db_index=True)  # the queue order
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waitlist entries"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class Kit(models.Model):
    """A share kit: a campaign's message, links and assets, and suggested posts per channel."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="kits")
    title = models.CharField(max_length=150)
    message = _text(KIT_MESSAGE_MAX, help_text="What the campaign is about, for ambassadors.")
    target_url = models.URLField(max_length=500, help_text="Where referral links lead.")
    campaign = models.SlugField(max_length=80, help_text="utm_campaign on referral links.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set: archived. Ambassadors no longer see it and its links lead to ADVOCACY_FALLBACK_URL, as when it
    # has ended; its links, clicks and conversions stay, and so do the reports that count them.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="kit_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class KitAsset(models.Model):
    """A link or a file that ambassadors may use with a kit (an image, a video, a page)."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="assets")
    label = models.CharField(max_length=150)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="kits/%Y/%m/", blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="kit_asset_url_or_file"),
        ]

    def __str__(self) -> str:
        return self.label


class SuggestedPost(models.Model):
    """Copy an ambassador can post as is, written for one channel."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="suggested_posts")
    channel = models.ForeignKey("insights.Channel", on_delete=models.PROTECT, related_name="+")
    text = _text(POST_TEXT_MAX)

    class Meta:
        ordering = ["channel__name", "pk"]

    def __str__(self) -> str:
        return f"{self.kit} on {self.channel}"


class ReferralLink(models.Model):
    """An ambassador's personal link for one kit: `/r/<code>`."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="links")
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "kit"], name="referral_link_one_per_kit")]

    def __str__(self) -> str:
        return self.code


class ReferralClick(models.Model):
    """A visitor's first click on a link that day. The visitor is a salted hash; no IP is stored."""

    link = models.ForeignKey(ReferralLink, on_delete=models.CASCADE, related_name="clicks")
    day = models.DateField()
    visitor_hash = models.CharField(max_length=64)
    channel = models.ForeignKey(  # where the link was shared, when the link says (/r/<code>?ch=<slug>)
        "insights.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    flagged = models.BooleanField(default=False)  # part of a click flood: held out until reviewed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "day", "visitor_hash"], name="referral_click_once_per_day")
        ]
        indexes = [models.Index(fields=["link", "at"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.link} on {self.day}"


class ClickTally(models.Model):
    """How many clicks were counted for a member in one day: what caps the points clicks earn a day.

    The redirect bumps it in the statement that counts a click (an upsert, so concurrent clicks
    queue on the row), and the click's points follow from it (advocacy.services.activities.click_points).
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "day"], name="click_tally_one_per_member_day")]

    def __str__(self) -> str:
        return f"{self.membership} on {self.day}: {self.clicks}"


class Conversion(models.Model):
    """An order that came through a referral link. Idempotent on the order id."""

    class Review(models.TextChoices):
        CLEAR = "clear", "Clear"  # counted
        HELD = "held", "Held for review"  # flagged: not counted until staff decide
        APPROVED = "approved", "Approved"  # flagged, then counted by staff
        REJECTED = "rejected", "Rejected"  # flagged, then refused by staff

    link = models.ForeignKey(ReferralLink, on_delete=models.PROTECT, related_name="conversions")
    order_id = models.CharField(max_length=100, unique=True)
    customer_ref = models.CharField(max_length=150)
    customer_email_hash = models.CharField(max_length=64, blank=True)  # to spot self-referrals, not to contact
    visitor_hash = models.CharField(max_length=64, blank=True)
    channel = models.ForeignKey(  # the channel of the visitor's click, when known
        "insights.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    ordered_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    is_returning = models.BooleanField(default=False)  # the customer had converted through a referral before
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.CLEAR, db_index=True)
    flags = models.JSONField(default=list, blank=True)  # why it was held: self_referral, repeat_customer…
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ordered_at"]
        indexes = [models.Index(fields=["customer_ref"]), models.Index(fields=["ordered_at"])]

    def __str__(self) -> str:
        return self.order_id


# The reviews under which a conversion counts (in totals, reports, points, "returning customer").
COUNTED_REVIEWS = (Conversion.Review.CLEAR, Conversion.Review.APPROVED)


class Story(models.Model):
    """Thought leadership: a story or guest post an ambassador submits; staff review and publish it."""

    class Kind(models.TextChoices):
        STORY = "story", "Story"
        GUEST_POST = "guest_post", "Guest post"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="stories")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(max_length=200)
    body = _text(STORY_BODY_MAX)
    slug = models.SlugField(max_length=220, unique=True, null=True, blank=True)  # set when published
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    staff_note = _text(NOTE_MAX, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """The points ledger: one row per thing an ambassador did that earns points.

    `key` makes each source count once (a click, a conversion, a share URL); `held`
    rows (flagged by fraud controls) earn nothing until staff clear them.
    """

    class Kind(models.TextChoices):
        SHARE = "share", "Shared a post"
        CLICK = "click", "Referral click"
        CONVERSION = "conversion", "Referral conversion"
        STORY = "story", "Published story"
        REVIEW = "review", "Wrote a review"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=200)  # unique per kind: "click:<id>", an order id, a URL…
    kit = models.ForeignKey(Kit, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    channel = models.ForeignKey("insights.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    url = models.URLField(max_length=500, blank=True)
    points = models.PositiveIntegerField()
    held = models.BooleanField(default=False)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind", "key"], name="activity_counted_once"),
            # A post (its normalised URL) is one person's: it earns once in the whole program.
            models.UniqueConstraint(
                fields=["kind", "key"], condition=Q(kind__in=["share", "review"]), name="activity_post_counted_once"
            ),
        ]
        indexes = [models.Index(fields=["membership", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.points} points)"


class BadgeAward(models.Model):
    """A badge a member earned by rule (advocacy.badges), once."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=40)
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["awarded_at"]
        constraints = [models.UniqueConstraint(fields=["membership", "badge"], name="badge_awarded_once")]

    def __str__(self) -> str:
        return self.badge


class ShoutOut(models.Model):
    """Staff recognition an ambassador sees on their home: to one member, or to everyone when blank."""

    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="shout_outs"
    )
    message = _text(SHOUT_OUT_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.message[:60]


# --- Advocate discovery: mention authors that staff merged into people or hid for good ------------------


class AdvocatePerson(models.Model):
    """Mention authors (on one channel or several) that staff know to be one person.

    Merging is reversible: unmerging deletes the person, and each author is ranked on its own again.
    """

    name = models.CharField(max_length=150, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or f"Person {self.pk}"


class AdvocateAuthor(models.Model):
    """A mention author (channel + handle) that staff acted on: merged into a person, or hidden for good.

    A row exists only while it is one or the other (unmerging an author that is not hidden deletes it),
    so discovery leaves every other author out of its exclusions with one anti-join on this small table.
    Hidden is for good: the author asked not to be contacted (only an admin may undo it).
    """

    channel = models.ForeignKey("insights.Channel", on_delete=models.PROTECT, related_name="+")
    handle = models.CharField(max_length=255)
    person = models.ForeignKey(AdvocatePerson, null=True, blank=True, on_delete=models.PROTECT, related_name="authors")
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = _text(NOTE_MAX, blank=True)

    class Meta:
        ordering = ["channel__slug", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "handle"], name="advocate_author_once"),
            models.CheckConstraint(condition=~Q(handle=""), name="advocate_author_has_handle"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(hidden_at__isnull=False), name="advocate_author_merged_or_hidden"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.channel}"
