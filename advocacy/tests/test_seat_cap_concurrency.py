"""The hard cap under concurrency: PostgreSQL, real threads, one connection each."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from advocacy.models import Invitation, Membership, WaitlistEntry
from advocacy.services.invitations import invitation_accept
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ACCEPTING = 150


def test_150_people_accepting_at_once_with_95_seats_taken_fill_exactly_5_and_wait_in_line_145():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        assert int(cursor.fetchone()[0]) > ACCEPTING + 20, "raise max_connections (.ci/run sets 300)"
    for _ in range(95):
        MembershipFactory()
    tokens = [InvitationFactory(email=f"fan{n}@customers.example")[1] for n in range(ACCEPTING)]
    start = Barrier(ACCEPTING)

    def accept(n):
        start.wait()
        try:
            return invitation_accept(token=tokens[n], name=f"Fan {n}", password="cherry fizz on a sunday")
        finally:
            connection.close()

    with ThreadPoolExecutor(ACCEPTING) as pool:
        acceptances = list(pool.map(accept, range(ACCEPTING)))  # any error in a thread raises here

    assert sum(not a.waitlisted for a in acceptances) == 5
    assert sum(a.waitlisted for a in acceptances) == 145
    assert Membership.objects.filter(status="active").count() == 100
    assert sorted(Membership.objects.values_list("seat", flat=True)) == list(range(1, 101))
    assert WaitlistEntry.objects.filter(status="waiting").count() == 145
    assert Invitation.objects.filter(status="accepted").count() == ACCEPTING
