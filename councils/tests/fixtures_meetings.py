"""Test helpers for the meetings and spotlights: people seated as plain Term rows (the seating rules are
tested in test_seats*.py; here they would only add ambassadors to make), and the people of a quarterly meeting."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from councils.models import Council, Seat, SeatKind, Term
from councils.services.seats import councils_ensure


def seat(user, council: Council, *, kind: str = SeatKind.CUSTOMER_ADVOCATE, chair: bool = False) -> Term:
    """Put `user` in the council's first free seat of `kind`, as a current term."""
    taken = Term.objects.filter(council=council, vacated_at__isnull=True).values("seat_id")
    free = Seat.objects.filter(council=council, kind=kind).exclude(pk__in=taken).order_by("number").first()
    assert free is not None, f"no free {kind} seat on {council}"
    today = date.today()
    return Term.objects.create(
        seat=free,
        council=council,
        user=user,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=700),
        is_chair=chair,
        seated_at=timezone.now(),
    )


@pytest.fixture
def council(db):
    councils_ensure()
    return Council.objects.get(kind=Council.Kind.CUSTOMER)


@pytest.fixture
def people(make_user, council):
    """A manager (Ana, insights staff), an executive (Erin), a chair and a member of the Customer council,
    and an employee who is neither (Eli)."""
    chair = make_user(email="cara.chair@carlssoda.example", name="Cara Quist", roles=["employee", "council_member"])
    member = make_user(email="milo.member@carlssoda.example", name="Milo Brandt", roles=["employee", "council_member"])
    seat(chair, council, chair=True)
    seat(member, council)
    return {
        "manager": make_user("ana.insights"),
        "executive": make_user("erin.exec"),
        "chair": chair,
        "member": member,
        "outsider": make_user("eli.employee"),
    }
