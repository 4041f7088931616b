"""Reads about kits, referral links, clicks and conversions."""

from django.utils import timezone

from advocacy.models import Kit, Membership, ReferralLink


def kits_open(on=None):
    """Kits running on `on` (today by default), newest first."""
    on = on or timezone.localdate()
    return Kit.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("-starts_on", "title")


def kits_open_with_links(membership: Membership) -> list[tuple[Kit, ReferralLink]]:
    """Each open kit with this member's personal referral link (made on first use)."""
    from advocacy.services.referrals import referral_link_get_or_create

    kits = kits_open().prefetch_related("suggested_posts__channel", "assets")
    return [(kit, referral_link_get_or_create(membership=membership, kit=kit)) for kit in kits]
