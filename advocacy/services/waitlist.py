"""The waitlist moves on: a freed seat is offered, by email, to the first person in line.

Both ends of a membership lead here (an ending frees a seat; a lapsed or declined offer frees
one again), so this module depends on neither: membership and invitations import it.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from advocacy.models import Invitation, Program, WaitlistEntry
from advocacy.selectors.program import seats_free
from advocacy.services.tokens import invitation_email_send, token_new


def waitlist_offer_next(*, program: Program) -> list[Invitation]:
    """Offer every seat that is free (and not already offered) to the first people in line.

    Call with the program locked (`program_lock`), inside the transaction that freed the seat.
    """
    offers = []
    free = seats_free(program)
    now = timezone.now()
    for entry in program.waitlist.select_related("user").filter(status=WaitlistEntry.Status.WAITING)[:free]:
        token, hashed = token_new()
        offer = Invitation.objects.create(
            program=program,
            kind=Invitation.Kind.WAITLIST_OFFER,
            email=entry.user.email,
            name=entry.user.name,
            token_hash=hashed,
            sent_at=now,
            expires_at=now + timedelta(days=settings.ADVOCACY_WAITLIST_OFFER_DAYS),
        )
        entry.status, entry.offer = WaitlistEntry.Status.OFFERED, offer
        entry.save(update_fields=["status", "offer", "updated_at"])
        invitation_email_send(offer, token)
        offers.append(offer)
    return offers
