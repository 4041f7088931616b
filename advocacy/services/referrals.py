"""Referral links, clicks and conversions, with the fraud controls that hold suspicious ones."""

import secrets
import string

from django.db import IntegrityError, transaction

from advocacy.models import Kit, Membership, ReferralLink

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 8  # 62^8 ≈ 2×10^14 codes


def referral_link_get_or_create(*, membership: Membership, kit: Kit) -> ReferralLink:
    """The member's link for this kit; made once, with a random code that is hard to guess."""
    link = ReferralLink.objects.filter(membership=membership, kit=kit).first()
    while link is None:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                link = ReferralLink.objects.create(membership=membership, kit=kit, code=code)
        except IntegrityError:  # the same link made by a concurrent request, or (rarely) a code clash
            link = ReferralLink.objects.filter(membership=membership, kit=kit).first()
    return link
