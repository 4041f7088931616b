"""The demo seats both councils fully, with a chair each, and a second run seats nobody new."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_USERS_BY_HANDLE
from councils.demo import demo_seats_seed
from councils.models import Council, SeatKind, Term

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_seed_demo_seats_both_councils_and_is_safe_to_run_twice(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--mentions", "300")
    for kind in Council.Kind.values:
        current = Term.objects.filter(council__kind=kind, vacated_at__isnull=True)
        assert current.count() == 6, kind
        assert current.filter(is_chair=True).count() == 1, kind
        assert sorted(current.values_list("seat__number", flat=True)) == [1, 2, 3, 4, 5, 6]
    cole = DEMO_USERS_BY_HANDLE["cole.council"].email
    assert sorted(
        Term.objects.filter(user__email=cole, vacated_at__isnull=True).values_list("council__kind", "seat__kind")
    ) == [("brand", SeatKind.BRAND_ADVOCATE), ("customer", SeatKind.BRAND_ADVOCATE)]
    customer_brand = Term.objects.filter(
        council__kind="customer", vacated_at__isnull=True, seat__kind=SeatKind.BRAND_ADVOCATE
    )
    assert all(t.depends_on and t.depends_on.vacated_at is None for t in customer_brand)
    assert not Term.objects.filter(user__email=DEMO_USERS_BY_HANDLE["amy.ambassador"].email).exists()
    terms = list(Term.objects.order_by("pk").values_list("pk", "user_id", "is_chair"))
    assert demo_seats_seed() == {"council_seats": 0, "council_chairs": 0}
    assert list(Term.objects.order_by("pk").values_list("pk", "user_id", "is_chair")) == terms
