"""Demo data for the ambassador program: invented members, invitations in every state, and what they did.

Every person is invented (names combined from short lists; `.example` addresses). Idempotent.
"""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from accounts.services import user_create
from advocacy.models import Invitation, Membership, MembershipEvent
from advocacy.selectors.program import program_get
from advocacy.services.membership import membership_end, membership_pause, membership_seat, program_lock
from advocacy.services.recognition import demo_recognition_seed
from advocacy.services.referrals import demo_referrals_seed

FIRST = ["Rosa", "Theo", "Mina", "Jonas", "Priya", "Malik", "Noor", "Felix", "Ines", "Tomas", "Lena", "Ravi"]
LAST = ["Quill", "Marsh", "Oakley", "Brandt", "Ferro", "Lund", "Castell", "Voss", "Abara", "Kerr"]
MEMBERS = 44  # invented, besides the demo ambassadors Amy and Cole
PAUSED, ALUMNI = 3, 4


def _people(count: int, start: int = 0):
    for n in range(start, start + count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        yield f"{first} {last}", f"{first}.{last}.{n}@fans.example".lower()


def _invitation(email: str, name: str, status: str, days_ago: int, *, note: str = "") -> Invitation:
    sent = timezone.now() - timedelta(days=days_ago)
    return Invitation(
        program=program_get(),
        email=email,
        name=name,
        note=note,
        status=status,
        token_hash=hashlib.sha256(f"demo:{email}:{status}".encode()).hexdigest(),  # no link: the token is unknown
        sent_at=sent,
        expires_at=sent + timedelta(days=14),
        responded_at=None if status in ("pending", "expired") else sent + timedelta(days=2),
        decline_reason="Too busy this season" if status == "declined" else "",
    )


@transaction.atomic
def demo_program_seed() -> dict[str, int]:
    """The program's demo world: members, invitations, kits with clicks and orders, shares, stories, badges."""
    created = _members_and_invitations()
    members = list(Membership.objects.select_related("user").order_by("pk"))
    referrals = demo_referrals_seed(members)
    demo_recognition_seed(members)
    return created | {f"referral_{name}": count for name, count in referrals.items()}


def _members_and_invitations() -> dict[str, int]:
    """Seat the demo ambassadors and invented members; invitations pending, declined, expired, revoked."""
    if Membership.objects.exists():
        return {"ambassadors": 0, "invitations": 0}
    program = program_lock()
    ambassadors = [User.objects.get(email=DEMO_USERS_BY_HANDLE[h].email) for h in ("amy.ambassador", "cole.council")]
    invented = []
    for name, email in _people(MEMBERS):
        invented.append(user_create(email=email, password=None, name=name, email_verified=True))
    invitations = []
    for n, user in enumerate(ambassadors + invented):
        invitation = _invitation(user.email, user.name, "accepted", days_ago=400 - n * 7)
        invitation.save()
        membership = membership_seat(program=program, user=user, invitation=invitation)
        joined = invitation.responded_at
        Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
        membership.events.update(at=joined)
        invitations.append(invitation)
    members = list(Membership.objects.filter(user__in=invented).order_by("pk"))
    for membership in members[:PAUSED]:
        membership_pause(membership=membership, reason="Taking a break for exams")
    for membership in members[PAUSED : PAUSED + ALUMNI]:
        membership_end(membership=membership, kind=MembershipEvent.Kind.LEFT, reason="Moved away")
    note = "We loved your posts about the cherry float."
    for status, count, days_ago in [("pending", 9, 3), ("declined", 6, 40), ("expired", 5, 60), ("revoked", 2, 20)]:
        for name, email in _people(count, start=MEMBERS + len(invitations)):
            invitations.append(_invitation(email, name, status, days_ago, note=note))
            invitations[-1].save()
    return {"ambassadors": len(ambassadors) + len(invented), "invitations": len(invitations)}
