"""An ambassador's rights over their data: a copy of it (`member_data_export`) and erasure (`member_erase`).

Ambassadors are customers. Erasure anonymises the person, not the program's history: the
ledger, referral clicks and conversions stay (so every aggregate count stays right), published
stories stay, credited to "a former ambassador", and the membership records that it happened.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from advocacy.badges import BADGES_BY_SLUG
from advocacy.models import (
    COUNTED_REVIEWS,
    Activity,
    Invitation,
    Membership,
    MembershipEvent,
    ReferralLink,
    ShoutOut,
    Story,
    WaitlistEntry,
)
from advocacy.selectors.program import SEAT_HOLDING
from advocacy.services.membership import membership_end
from advocacy.signals import membership_ended_send

ERASED_NAME = "Former ambassador"
ERASED_REASON = "Erasure requested"


def erased_email(user) -> str:
    return f"erased-{user.pk}@invalid.example"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def member_data_export(membership: Membership) -> dict:
    """Everything the program holds about this member, for a JSON download (a read, not a write).

    Only their own data: no other member, no staff member's identity, and of the customers who
    ordered through their links only counts, never who they are.
    """
    user = membership.user
    links = (
        ReferralLink.objects.filter(membership=membership)
        .select_related("kit")
        .annotate(
            counted_clicks=Count("clicks", filter=Q(clicks__flagged=False), distinct=True),
            held_clicks=Count("clicks", filter=Q(clicks__flagged=True), distinct=True),
            counted_conversions=Count("conversions", filter=Q(conversions__review__in=COUNTED_REVIEWS), distinct=True),
            other_conversions=Count("conversions", filter=~Q(conversions__review__in=COUNTED_REVIEWS), distinct=True),
        )
        .order_by("created_at", "pk")
    )
    waitlist = WaitlistEntry.objects.filter(user=user).first()
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "name": user.name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "membership": {
            "status": membership.status,
            "seat": membership.seat,
            "joined_at": _iso(membership.joined_at),
            "left_at": _iso(membership.left_at),
            "left_reason": membership.left_reason,
            "history": [
                {"event": event.kind, "reason": event.reason, "at": _iso(event.at)}
                for event in membership.events.order_by("at", "pk")
            ],
        },
        "waitlist": (
            {"status": waitlist.status, "joined_at": _iso(waitlist.joined_at)} if waitlist is not None else None
        ),
        "invitations": [
            {
                "kind": inv.kind,
                "email": inv.email,
                "name": inv.name,
                "note": inv.note,
                "status": inv.status,
                "sent_at": _iso(inv.sent_at),
                "expires_at": _iso(inv.expires_at),
                "responded_at": _iso(inv.responded_at),
                "decline_reason": inv.decline_reason,
                "found_as": (  # the mention author advocate discovery found them as
                    {"channel": inv.discovered_channel.slug, "handle": inv.discovered_handle}
                    if inv.discovered_channel
                    else None
                ),
            }
            for inv in Invitation.objects.filter(email__iexact=user.email)
            .select_related("discovered_channel")
            .order_by("created_at", "pk")
        ],
        "activities": [
            {
                "kind": activity.kind,
                "at": _iso(activity.at),
                "points": activity.points,
                "held_for_review": activity.held,
                "url": activity.url,
                "kit": activity.kit.title if activity.kit else None,
                "channel": activity.channel.name if activity.channel else None,
            }
            for activity in membership.activities.select_related("kit", "channel").order_by("at", "pk")
        ],
        "badges": [
            {
                "badge": award.badge,
                "name": BADGES_BY_SLUG[award.badge].name if award.badge in BADGES_BY_SLUG else award.badge,
                "awarded_at": _iso(award.awarded_at),
            }
            for award in membership.badges.order_by("awarded_at", "pk")
        ],
        "stories": [
            {
                "kind": story.kind,
                "title": story.title,
                "body": story.body,
                "status": story.status,
                "note_from_the_program": story.staff_note,
                "submitted_at": _iso(story.submitted_at),
                "published_at": _iso(story.published_at),
                "slug": story.slug,
            }
            for story in membership.stories.order_by("submitted_at", "pk")
        ],
        "shout_outs_to_you": [
            {"message": shout.message, "at": _iso(shout.at)} for shout in membership.shout_outs.order_by("at", "pk")
        ],
        "referral_links": [
            {
                "code": link.code,
                "kit": link.kit.title,
                "created_at": _iso(link.created_at),
                "clicks_counted": link.counted_clicks,
                "clicks_held_for_review": link.held_clicks,
                "conversions_counted": link.counted_conversions,
                "conversions_not_counted": link.other_conversions,
            }
            for link in links
        ],
    }


@transaction.atomic
def member_erase(*, membership: Membership, by=None) -> Membership:
    """Erase a member's personal data, in one transaction. Idempotent: a second call changes nothing.

    - a member who still holds a seat leaves (`membership_end`, kind LEFT), so the seat frees
      and the waitlist moves on;
    - the account is anonymised: "Former ambassador", `erased-<id>@invalid.example`, no usable
      password, inactive (every session ends: the password hash changed), allauth's email rows gone;
    - invitations to their address lose the address, the name, the note and the author discovery found them as;
    - what they wrote that never went public (stories not published, shout-outs to them) is deleted,
      and the post URLs they logged are dropped from the ledger (a URL can name its author);
    - activities, badges, referral links, clicks and conversions stay, so every count stays right;
      published stories stay, credited to "a former ambassador";
    - the history records the erasure (`MembershipEvent` ERASED, by whom), and
      `advocacy.signals.membership_ended` (kind "erased") goes out once it commits.
    """
    from allauth.account.models import EmailAddress

    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.erased_at:
        return membership
    if membership.status in SEAT_HOLDING:
        membership_end(membership=membership, kind=MembershipEvent.Kind.LEFT, reason=ERASED_REASON, by=by)
        membership.refresh_from_db()
    user = get_user_model().objects.select_for_update().get(pk=membership.user_id)
    old_email = user.email
    new_email = erased_email(user)

    Invitation.objects.filter(email__iexact=old_email).update(
        email=new_email, name="", note="", decline_reason="", discovered_channel=None, discovered_handle=""
    )
    Story.objects.filter(membership=membership).exclude(status=Story.Status.PUBLISHED).delete()
    ShoutOut.objects.filter(membership=membership).delete()
    # The key only has to stay unique per member and kind; the row, its points and its date stay.
    membership.activities.filter(kind__in=[Activity.Kind.SHARE, Activity.Kind.REVIEW]).update(
        key=Concat(Value("erased:"), Cast("pk", CharField())), url=""
    )

    EmailAddress.objects.filter(user=user).delete()
    user.name = ERASED_NAME
    user.email = new_email
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["name", "email", "is_active", "password"])

    now = timezone.now()
    membership.erased_at = now
    membership.save(update_fields=["erased_at"])
    MembershipEvent.objects.create(membership=membership, kind=MembershipEvent.Kind.ERASED, by=by, at=now)
    membership_ended_send(membership=membership, kind=MembershipEvent.Kind.ERASED, reason=ERASED_REASON)
    return membership
