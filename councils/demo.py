"""The councils' demo data, one function per part (`demo_<part>_seed() -> dict[str, int]`, idempotent)."""

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from advocacy.models import InvitationProposal
from advocacy.services.proposals import proposal_create
from councils.services.oversight import council_permissions_sync


def demo_oversight_seed() -> dict[str, int]:
    """Oversight: the councils' groups hold their permissions (so the demo's seated members get them through
    the group), and Cole (Brand council) has proposed one invitation that waits for a manager."""
    added = council_permissions_sync()
    proposed = 0
    cole = User.objects.filter(email=DEMO_USERS_BY_HANDLE["cole.council"].email).first()
    email = "marisol.vega@customers.example"
    if cole and not InvitationProposal.objects.filter(email__iexact=email).exists():
        proposal_create(
            email=email,
            name="Marisol Vega",
            reason="She runs a soda-tasting club in Portland and has posted about Cherry Fizz every month this year.",
            proposed_by=cole,
        )
        proposed = 1
    return {"oversight_permissions_added": added, "invitation_proposals": proposed}
