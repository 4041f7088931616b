"""What the program tells apps above it (DESIGN.md: a lower app sends a signal, a higher one listens).

`membership_ended` is sent once the transaction that ended a membership commits (a rolled-back
ending sends nothing), with `sender=Membership` and the keyword arguments:

- `membership`: the Membership, now alumni;
- `user`: its user;
- `kind`: a MembershipEvent.Kind: "left", "removed", "alumni", or "erased" (personal data erased;
  a seat holder who asks for erasure leaves first, so their listeners hear "left", then "erased");
- `reason`: the reason given, possibly empty.

A council, for one, frees the seat of an ambassador who is no longer a member.
"""

from django.db import transaction
from django.dispatch import Signal

from advocacy.models import Membership

membership_ended = Signal()


def membership_ended_send(*, membership, kind: str, reason: str = "") -> None:
    """Send `membership_ended` when the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: membership_ended.send(
            sender=Membership, membership=membership, user=membership.user, kind=kind, reason=reason
        )
    )
