"""The last free seat under concurrency: PostgreSQL, real threads, one connection each."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from councils.models import Council, Nomination, SeatKind, Term
from councils.services.seats import NoSeatLeft, nomination_accept, nomination_create
from councils.tests.seats_factories import ambassador, council, employee, fill

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ACCEPTING = 20


def test_20_nominees_accepting_the_last_free_seat_at_once_seat_exactly_one_and_tell_the_others():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        assert int(cursor.fetchone()[0]) > ACCEPTING + 10
    fill(Council.Kind.CUSTOMER, leave={SeatKind.CUSTOMER_ADVOCATE: 1})  # 5 of 6 seats taken
    nominees = [employee(f"Hopeful Number{n}") for n in range(ACCEPTING)]
    tokens = [
        nomination_create(council=council(Council.Kind.CUSTOMER), kind=SeatKind.CUSTOMER_ADVOCATE, user=u).token
        for u in nominees
    ]
    start = Barrier(ACCEPTING)

    def accept(n):
        start.wait()
        try:
            return nomination_accept(token=tokens[n], user=nominees[n])
        except NoSeatLeft as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(ACCEPTING) as pool:
        answers = list(pool.map(accept, range(ACCEPTING)))  # any other error in a thread raises here

    seated = [a for a in answers if isinstance(a, Term)]
    refused = [a for a in answers if isinstance(a, NoSeatLeft)]
    assert len(seated) == 1
    assert len(refused) == ACCEPTING - 1
    assert all("was taken before you accepted" in r.message for r in refused)
    customer = council(Council.Kind.CUSTOMER)
    assert Term.objects.filter(council=customer, vacated_at__isnull=True).count() == 6
    assert Term.objects.filter(council=customer, vacated_at__isnull=True, user__in=nominees).count() == 1
    assert Nomination.objects.filter(user__in=nominees, status=Nomination.Status.ACCEPTED).count() == 1
    assert Nomination.objects.filter(user__in=nominees, status=Nomination.Status.FAILED).count() == ACCEPTING - 1
    assert seated[0].seat.number == 4  # the Customer council's last customer-advocate seat (5 and 6: brand)


def test_the_same_nomination_sent_10_times_at_once_is_made_once():
    fan = ambassador("Echo Twice")
    brand = council(Council.Kind.BRAND)
    start = Barrier(10)

    def nominate(_):
        start.wait()
        try:
            return nomination_create(council=brand, kind=SeatKind.BRAND_ADVOCATE, user=fan)
        finally:
            connection.close()

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(nominate, range(10)))

    assert len({a.nomination.pk for a in answers}) == 1
    assert sum(a.created for a in answers) == 1
    assert Nomination.objects.filter(user=fan).count() == 1
