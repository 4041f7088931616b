"""Proposals under concurrency: PostgreSQL, real threads, one connection each. The same person proposed
by many at once is one pending proposal; a manager's confirm clicked many times at once sends one
invitation and one email to the proposer."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.core import mail
from django.db import connection

from accounts.roles import Role
from advocacy.models import Invitation, InvitationProposal
from advocacy.services.proposals import ProposalError, proposal_confirm, proposal_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AT_ONCE = 12


def _together(action, count=AT_ONCE) -> list:
    start = Barrier(count)

    def run(n):
        start.wait()
        try:
            return action(n)
        except ProposalError as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_the_same_person_proposed_by_many_at_once_is_one_pending_proposal(make_user):
    proposers = [
        make_user(email=f"proposer{n}@example.net", name=f"Proposer {n}", roles=[Role.AMBASSADOR])
        for n in range(AT_ONCE)
    ]
    results = _together(
        lambda n: proposal_create(
            email="Lena.Ortiz@customers.example" if n % 2 else "lena.ortiz@customers.example",
            name="Lena Ortiz",
            reason="Cherry float recipes every week.",
            proposed_by=proposers[n],
        )
    )
    made = [r for r in results if isinstance(r, InvitationProposal)]
    refused = [r for r in results if isinstance(r, ProposalError)]
    assert len(made) == 1
    assert len(refused) == AT_ONCE - 1
    assert all("proposed already" in r.message for r in refused)
    assert InvitationProposal.objects.count() == 1


def test_a_confirm_sent_many_times_at_once_sends_one_invitation(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager = make_user("ana.insights")
    proposal = proposal_create(
        email="lena.ortiz@customers.example",
        name="Lena Ortiz",
        reason="Cherry float recipes every week.",
        proposed_by=make_user("cole.council"),
    )
    results = _together(lambda n: proposal_confirm(proposal=proposal, by=manager))
    assert all(isinstance(r, InvitationProposal) for r in results), results
    assert Invitation.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == InvitationProposal.Status.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == ["cole.council@example.net", "lena.ortiz@customers.example"]
