"""Referral links are made by the writes that call for them, never by a page that shows them.

A seat holder has a link for every kit that has not ended and is not archived: `membership_seat` makes the new
member's links, `kit_save` makes a kit's links for every seat holder. Pages only read them.
"""

import secrets
import string
from collections.abc import Iterable

from django.db import IntegrityError
from django.utils import timezone

from advocacy.models import Kit, Membership, ReferralLink
from advocacy.selectors.program import SEAT_HOLDING

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 8  # 62^8 ≈ 2×10^14 codes


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _links_ensure(membership_ids: Iterable[int], kit_ids: Iterable[int]) -> dict[tuple[int, int], ReferralLink]:
    """Each (member, kit) pair's link: existing ones read in one query, missing ones made in bulk."""
    wanted = {(member, kit) for member in set(membership_ids) for kit in set(kit_ids)}

    def read(pairs):
        rows = ReferralLink.objects.filter(membership_id__in={m for m, _ in pairs}, kit_id__in={k for _, k in pairs})
        return {(link.membership_id, link.kit_id): link for link in rows}

    links = read(wanted) if wanted else {}
    for _ in range(5):  # a code clash (rare) or a concurrent request leaves a pair without a link: try again
        missing = wanted - links.keys()
        if not missing:
            break
        ReferralLink.objects.bulk_create(
            [ReferralLink(membership_id=m, kit_id=k, code=_new_code()) for m, k in sorted(missing)],
            ignore_conflicts=True,
        )
        links |= read(missing)
    if wanted - links.keys():
        raise IntegrityError("could not make a referral link with a free code")
    return {pair: link for pair, link in links.items() if pair in wanted}


def referral_links_ensure(*, membership: Membership, kits: list[Kit]) -> dict[int, ReferralLink]:
    """The member's link for each kit, by kit id, made once with a random code that is hard to guess."""
    by_kit = {kit.pk: kit for kit in kits}
    links = {kit_id: link for (_, kit_id), link in _links_ensure([membership.pk], by_kit).items()}
    for kit_id, link in links.items():  # no lazy load when the caller reads them
        link.kit, link.membership = by_kit[kit_id], membership
    return links


def referral_links_for_member(*, membership: Membership) -> int:
    """A (new or returning) member's links for every kit that has not ended. Returns how many exist."""
    kits = Kit.objects.filter(ends_on__gte=timezone.localdate(), archived_at__isnull=True).values_list("pk", flat=True)
    return len(_links_ensure([membership.pk], kits))


def referral_links_for_kit(*, kit: Kit) -> int:
    """A saved kit's links for every seat holder, unless it has ended. Returns how many exist."""
    if kit.ends_on < timezone.localdate() or kit.archived_at is not None:
        return 0
    members = Membership.objects.filter(status__in=SEAT_HOLDING).values_list("pk", flat=True)
    return len(_links_ensure(members, [kit.pk]))
