"""The points ledger: every activity that earns points is recorded here, once, and badges follow.

Only active members earn: a paused member keeps their seat and portal but earns nothing new,
and alumni earn nothing. `held` activities (flagged by the fraud controls) are recorded but
earn nothing until staff clear them with `activity_release`, which awards any badge then due.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from advocacy.badges import badges_earned
from advocacy.models import Activity, BadgeAward, ClickTally, Membership
from advocacy.selectors.recognition import activity_totals


@transaction.atomic
def activity_record(
    *, membership: Membership, kind: str, key: str, at=None, kit=None, channel=None, url: str = "", held: bool = False
) -> Activity | None:
    """Record one activity with the points its kind earns now, and award the badges it completes.

    Returns None when nothing was recorded: `key` was already counted for this member and kind
    (the unique constraint makes this hold under concurrent requests too), or the member is not
    active. `held` activities earn nothing, so they award no badge, until `activity_release`.
    Referral clicks write the same row by hand, in the redirect's one statement
    (advocacy.services.referrals._click_insert); a test keeps the two rows identical.
    """
    if membership.status != Membership.Status.ACTIVE:
        return None
    at = at or timezone.now()
    points = settings.ADVOCACY_POINTS[kind]
    if kind == Activity.Kind.CLICK:  # clicks earn up to a daily cap
        if Activity.objects.filter(membership=membership, kind=kind, key=key[:200]).exists():
            return None
        points = click_points(_click_tally_bump(membership, day=timezone.localdate(at)))
    try:
        activity, created = Activity.objects.get_or_create(
            membership=membership,
            kind=kind,
            key=key[:200],
            defaults={
                "points": points,
                "at": at,
                "kit": kit,
                "channel": channel,
                "url": url,
                "held": held,
            },
        )
    except IntegrityError:  # a post counts once, whoever logged it: another member counted this one already
        return None
    if not created:
        return None
    if not held:  # held activity earns nothing, so no badge, until activity_release
        badges_award(membership)
    return activity


def click_points(clicks_today: int) -> int:
    """The points of a member's `clicks_today`-th counted click of the day: ADVOCACY_POINTS["click"] each,
    until the day's clicks reach ADVOCACY_CLICK_POINTS_PER_DAY, then less, then nothing.

    Held clicks count towards the cap too, so approving them later never lifts a member over it.
    The redirect computes the same in SQL (advocacy.services.referrals._click_insert).
    """
    each, cap = settings.ADVOCACY_POINTS[Activity.Kind.CLICK], settings.ADVOCACY_CLICK_POINTS_PER_DAY
    return min(each, max(0, cap - (clicks_today - 1) * each))


def _click_tally_bump(membership: Membership, *, day) -> int:
    """Count one more click for the member's day, with the row locked; returns the day's clicks so far."""
    tally, _ = ClickTally.objects.select_for_update().get_or_create(membership=membership, day=day)
    ClickTally.objects.filter(pk=tally.pk).update(clicks=F("clicks") + 1)
    return tally.clicks + 1


@transaction.atomic
def activity_release(*, membership: Membership, kind: str, key: str) -> bool:
    """Count a held activity after staff approved it (the referrals review calls this); badges follow.

    True when a held row was released; False when there was none (already counted, or never held).
    A rejected item needs no call: its activity stays held and earns nothing.
    """
    released = Activity.objects.filter(membership=membership, kind=kind, key=key[:200], held=True).update(held=False)
    if released:
        badges_award(membership)
    return bool(released)


def badges_award(membership: Membership) -> list[BadgeAward]:
    """Award every badge whose rule the member now meets and that they do not hold yet.

    Safe to call any time and twice (each badge is unique per member; a concurrent award of the
    same badge is ignored). Call it after held activity or a held conversion is approved.
    Returns the badges awarded by this call.
    """
    return _badges_award([membership])


def badges_refresh() -> int:
    """Award the badges that activity recorded outside `activity_record` completed (referral clicks,
    which the redirect writes itself to stay fast). Beat runs it every few minutes; safe to run twice."""
    return len(_badges_award(list(Membership.objects.filter(status=Membership.Status.ACTIVE))))


def _badges_award(memberships: list[Membership]) -> list[BadgeAward]:
    """badges_award for several members in three queries, however many they are."""
    totals = activity_totals(memberships)
    held = set(BadgeAward.objects.filter(membership__in=memberships).values_list("membership_id", "badge"))
    now = timezone.now()
    new = [
        BadgeAward(membership=membership, badge=rule.slug, awarded_at=now)
        for membership in memberships
        for rule in badges_earned(totals[membership.pk])
        if (membership.pk, rule.slug) not in held
    ]
    BadgeAward.objects.bulk_create(new, ignore_conflicts=True)
    return new
