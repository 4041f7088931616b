"""Vacating chains: an ambassador leaves the program, a Brand seat is vacated, the reconciliation catches the rest."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from advocacy.models import Membership, MembershipEvent
from advocacy.services.membership import membership_end, membership_pause
from advocacy.services.privacy import member_erase
from councils.models import Council, SeatEvent, SeatKind, Term
from councils.services.seats import term_vacate
from councils.tasks import seats_reconcile_task
from councils.tests.seats_factories import ambassador, council, councils, employee, fill, seat  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("councils")]

BRAND, CUSTOMER = Council.Kind.BRAND, Council.Kind.CUSTOMER
BA, CA = SeatKind.BRAND_ADVOCATE, SeatKind.CUSTOMER_ADVOCATE


def _current(user) -> list[str]:
    return sorted(Term.objects.filter(user=user, vacated_at__isnull=True).values_list("council__kind", flat=True))


def test_leaving_the_program_vacates_both_seats_at_once_with_the_reason(django_capture_on_commit_callbacks):
    fan = ambassador("Juno Marsh")
    brand, customer = seat(BRAND, BA, fan), seat(CUSTOMER, BA, fan)
    bystander = employee()
    seat(CUSTOMER, CA, bystander)
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(
            membership=Membership.objects.get(user=fan), kind=MembershipEvent.Kind.LEFT, reason="Moved abroad"
        )
    brand.refresh_from_db()
    customer.refresh_from_db()
    assert brand.vacated_at is not None
    assert brand.vacated_reason == "Left the ambassador program: Moved abroad."
    assert customer.vacated_at == brand.vacated_at  # the same transaction
    assert "Brand Advisory Council seat was vacated" in customer.vacated_reason
    assert _current(fan) == []
    assert _current(bystander) == [CUSTOMER]
    fresh = User.objects.get(pk=fan.pk)
    assert not has_role(fresh, Role.COUNCIL_MEMBER)
    assert not fresh.groups.filter(pk__in=[council(BRAND).group_id, council(CUSTOMER).group_id]).exists()
    reasons = list(SeatEvent.objects.filter(kind=SeatEvent.Kind.VACATED).values_list("council__kind", "reason"))
    assert (BRAND, "Left the ambassador program: Moved abroad.") in reasons
    assert any(kind == CUSTOMER and "Brand Advisory Council" in why for kind, why in reasons)


def test_a_rolled_back_ending_vacates_nothing(django_capture_on_commit_callbacks):
    fan = ambassador()
    seat(BRAND, BA, fan)
    membership = Membership.objects.get(user=fan)

    def end_then_fail():
        with transaction.atomic():
            membership_end(membership=membership, kind=MembershipEvent.Kind.REMOVED, reason="Spam")
            raise RuntimeError("the request failed after")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        end_then_fail()
    assert _current(fan) == [BRAND]


def test_erasing_their_data_frees_the_seats_too(django_capture_on_commit_callbacks):
    fan = ambassador()
    seat(BRAND, BA, fan)
    seat(CUSTOMER, BA, fan)
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(membership=Membership.objects.get(user=fan), by=fan)
    assert _current(fan) == []


def test_a_customer_advocate_on_the_brand_council_keeps_their_seat_when_a_brand_advocate_leaves(
    django_capture_on_commit_callbacks,
):
    terms = fill(BRAND)
    leaver = terms[BA][0].user
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=Membership.objects.get(user=leaver), kind=MembershipEvent.Kind.LEFT)
    assert Term.objects.filter(council__kind=BRAND, vacated_at__isnull=True).count() == 5
    assert Term.objects.get(pk=terms[BA][0].pk).vacated_reason == "Left the ambassador program: left."


def test_leaving_the_brand_council_vacates_the_customer_seat_that_depends_on_it():
    fan = ambassador()
    brand, customer = seat(BRAND, BA, fan), seat(CUSTOMER, BA, fan)
    vacated = term_vacate(term=brand, reason="Stepping down")
    assert {t.pk for t in vacated} == {brand.pk, customer.pk}
    customer.refresh_from_db()
    assert customer.vacated_reason == "Their Brand Advisory Council seat was vacated (Stepping down)."
    assert _current(fan) == []
    assert not has_role(User.objects.get(pk=fan.pk), Role.COUNCIL_MEMBER)


def test_the_reconciliation_catches_a_lost_signal_a_pause_a_broken_chain_and_ended_terms():
    lost, paused, chained, expired = ambassador(), ambassador(), ambassador(), employee()
    seat(BRAND, BA, lost)
    seat(CUSTOMER, BA, lost)
    seat(BRAND, BA, paused)
    chained_brand = seat(BRAND, BA, chained)
    chained_customer = seat(CUSTOMER, BA, chained)
    ended = seat(CUSTOMER, CA, expired)
    # A membership ended with no signal heard (a lost message), a pause, a Brand term vacated behind the
    # service's back, a term whose end date passed.
    Membership.objects.filter(user=lost).update(status=Membership.Status.ALUMNI, seat=None)
    membership_pause(membership=Membership.objects.get(user=paused))
    Term.objects.filter(pk=chained_brand.pk).update(vacated_at=timezone.now(), vacated_reason="by hand")
    Term.objects.filter(pk=ended.pk).update(
        starts_on=timezone.localdate() - timedelta(400), ends_on=timezone.localdate() - timedelta(1)
    )
    counts = seats_reconcile_task.delay().get()
    assert counts["not_active_ambassador"] == 3  # lost (with their Customer seat) and paused
    assert counts["dependants"] == 1
    assert counts["term_ended"] == 1
    assert _current(lost) == _current(paused) == _current(chained) == _current(expired) == []
    assert "paused" in Term.objects.get(user=paused).vacated_reason
    assert Term.objects.get(pk=chained_customer.pk).vacated_reason == "Their Brand Advisory Council seat was vacated."
    assert "term ended" in Term.objects.get(pk=ended.pk).vacated_reason
    again = seats_reconcile_task.delay().get()  # safe to run twice
    assert again == {"not_active_ambassador": 0, "dependants": 0, "term_ended": 0, "nominations_expired": 0}
