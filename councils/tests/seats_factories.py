"""People and seatings for the seats tests, made through the services (invented names, .example addresses)."""

import itertools

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from advocacy.tests.factories import MembershipFactory
from councils.models import Council, SeatKind, Term
from councils.services.seats import councils_ensure, nomination_accept, nomination_create

_n = itertools.count(1)


def ambassador(name: str | None = None):
    """An active ambassador (a customer in the program)."""
    n = next(_n)
    user = UserFactory(email=f"fan{n}@customers.example", name=name or f"Fan Number{n}")
    MembershipFactory(user=user)
    return user


def employee(name: str | None = None):
    n = next(_n)
    return UserFactory(email=f"staffer{n}@carlssoda.example", name=name or f"Staffer Number{n}", roles=[Role.EMPLOYEE])


def manager():
    n = next(_n)
    return UserFactory(email=f"manager{n}@carlssoda.example", name=f"Manager Number{n}", roles=[Role.INSIGHTS_STAFF])


def council(kind: str) -> Council:
    """The council of `kind` (made again if a transactional test emptied the tables)."""
    return councils_ensure()[kind]


def seat(kind_of_council: str, seat_kind: str, user, *, by=None) -> Term:
    """Nominate and accept at once: `user` takes the lowest free `seat_kind` seat of the council."""
    nominated = nomination_create(council=council(kind_of_council), kind=seat_kind, user=user, by=by)
    return nomination_accept(token=nominated.token, user=user)


def fill(kind_of_council: str, *, leave: dict[str, int] | None = None) -> dict[str, list[Term]]:
    """Fill a council's seats with fresh people, leaving `leave[seat_kind]` seats of a kind vacant.

    The Customer council's brand advocates get a Brand seat first (the rule).
    """
    leave = leave or {}
    terms: dict[str, list[Term]] = {}
    for seat_kind, count in Council.COMPOSITION[kind_of_council].items():
        for _ in range(count - leave.get(seat_kind, 0)):
            if seat_kind == SeatKind.CUSTOMER_ADVOCATE:
                person = employee()
            else:
                person = ambassador()
                if kind_of_council == Council.Kind.CUSTOMER:
                    seat(Council.Kind.BRAND, SeatKind.BRAND_ADVOCATE, person)
            terms.setdefault(seat_kind, []).append(seat(kind_of_council, seat_kind, person))
    return terms


@pytest.fixture(autouse=False)
def councils(db):
    """Both councils with their seats: a transactional test (the concurrency one) empties the tables."""
    return councils_ensure()
