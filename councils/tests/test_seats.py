"""Seats and composition: the rules, checked at nomination and again at acceptance; tokens; roles and groups."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from advocacy.models import Membership
from advocacy.services.membership import membership_pause
from councils.models import Council, Nomination, SeatEvent, SeatKind, Term
from councils.services.seats import (
    NominationUnusable,
    NoSeatLeft,
    SeatingRefused,
    nomination_accept,
    nomination_create,
    nomination_decline,
    nomination_withdraw,
    term_make_chair,
    term_vacate,
)
from councils.tests.seats_factories import ambassador, council, councils, employee, fill, manager, seat  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("councils")]

BRAND, CUSTOMER = Council.Kind.BRAND, Council.Kind.CUSTOMER
BA, CA = SeatKind.BRAND_ADVOCATE, SeatKind.CUSTOMER_ADVOCATE


def test_a_nomination_emails_working_accept_and_decline_links_and_accepting_seats_the_person(
    client, django_capture_on_commit_callbacks
):
    fan, staff = ambassador("Rosa Quill"), manager()
    with django_capture_on_commit_callbacks(execute=True):
        nominated = nomination_create(
            council=council(BRAND), kind=BA, user=fan, note="Your cherry float posts won us over.", by=staff
        )
    assert nominated.created
    assert nominated.nomination.token != nominated.token  # only the hash is stored
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [fan.email]
    assert "Brand Advisory Council" in email.subject
    assert "Your cherry float posts won us over." in email.body
    site = settings.SITE_URL.rstrip("/")
    assert f"{site}/councils/nominations/{nominated.token}/\n" in email.body
    assert f"{site}/councils/nominations/{nominated.token}/?answer=decline" in email.body
    accept_link = f"/councils/nominations/{nominated.token}/"

    client.force_login(fan)
    assert client.get(accept_link).status_code == 200
    response = client.post(accept_link, {"answer": "accept"})
    assert response.status_code == 302
    term = Term.objects.get(user=fan)
    assert (term.council.kind, term.seat.kind, term.seat.number, term.vacated_at) == (BRAND, BA, 1, None)
    assert Nomination.objects.get().status == Nomination.Status.ACCEPTED
    assert fan.groups.filter(pk=council(BRAND).group_id).exists()
    assert has_role(User.objects.get(pk=fan.pk), Role.COUNCIL_MEMBER)
    kinds = list(SeatEvent.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [SeatEvent.Kind.NOMINATED, SeatEvent.Kind.SEATED]


def test_the_emailed_link_is_unusable_once_used_and_another_persons_link_is_a_404(client):
    fan, other = ambassador(), ambassador()
    nominated = nomination_create(council=council(BRAND), kind=BA, user=fan)
    term = nomination_accept(token=nominated.token, user=fan)
    assert nomination_accept(token=nominated.token, user=fan) == term  # a retried accept: the same term
    with pytest.raises(NominationUnusable, match="accepted this nomination already"):
        nomination_decline(token=nominated.token, user=fan)
    with pytest.raises(NominationUnusable, match="not valid for you"):
        nomination_accept(token=nominated.token, user=other)
    with pytest.raises(NominationUnusable):
        nomination_accept(token="made-up-token", user=fan)
    client.force_login(other)
    assert client.get(f"/councils/nominations/{nominated.token}/").status_code == 404
    assert Term.objects.count() == 1


def test_an_expired_link_says_so_and_seats_nobody(client, settings):
    fan = ambassador()
    nominated = nomination_create(council=council(BRAND), kind=BA, user=fan)
    Nomination.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(NominationUnusable, match="expired"):
        nomination_accept(token=nominated.token, user=fan)
    assert Nomination.objects.get().status == Nomination.Status.EXPIRED
    client.force_login(fan)
    page = client.get(f"/councils/nominations/{nominated.token}/")
    assert b"expired" in page.content
    post = client.post(f"/councils/nominations/{nominated.token}/", {"answer": "accept"})
    assert post.status_code == 409
    assert b"expired" in post.content
    assert not Term.objects.exists()


def test_the_expiry_follows_the_setting(settings):
    settings.COUNCILS_NOMINATION_DAYS = 3
    nominated = nomination_create(council=council(BRAND), kind=BA, user=ambassador())
    left = nominated.nomination.expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < left <= timedelta(days=3)


def test_a_non_ambassador_cannot_be_a_brand_advocate():
    customer = employee("Ivo Plain")  # an employee, not in the program
    with pytest.raises(SeatingRefused, match="not an active ambassador"):
        nomination_create(council=council(BRAND), kind=BA, user=customer)
    assert not Nomination.objects.exists()
    assert not SeatEvent.objects.exists()
    assert not mail.outbox


def test_a_paused_ambassador_is_not_active_and_cannot_be_nominated():
    fan = ambassador()
    membership_pause(membership=Membership.objects.get(user=fan))
    with pytest.raises(SeatingRefused, match="not an active ambassador"):
        nomination_create(council=council(BRAND), kind=BA, user=fan)


def test_a_non_employee_cannot_be_a_customer_advocate():
    with pytest.raises(SeatingRefused, match="not an employee"):
        nomination_create(council=council(CUSTOMER), kind=CA, user=ambassador())
    assert not Nomination.objects.exists()


def test_a_customer_council_brand_advocate_must_sit_on_the_brand_council():
    fan = ambassador("Noor Vell")
    with pytest.raises(SeatingRefused, match="does not sit on the Brand Advisory Council"):
        nomination_create(council=council(CUSTOMER), kind=BA, user=fan)
    brand_term = seat(BRAND, BA, fan)
    customer_term = seat(CUSTOMER, BA, fan)
    assert customer_term.depends_on == brand_term


def test_a_customer_advocate_on_the_brand_council_does_not_qualify_as_a_brand_advocate_elsewhere():
    worker = employee()
    seat(BRAND, CA, worker)
    with pytest.raises(SeatingRefused, match="not an active ambassador"):
        nomination_create(council=council(CUSTOMER), kind=BA, user=worker)


def test_no_seventh_seat_nor_a_fifth_brand_advocate():
    fill(BRAND)
    assert Term.objects.filter(council__kind=BRAND, vacated_at__isnull=True).count() == 6
    with pytest.raises(NoSeatLeft, match="All 4 brand advocate seats of the Brand Advisory Council are taken"):
        nomination_create(council=council(BRAND), kind=BA, user=ambassador())
    with pytest.raises(NoSeatLeft, match="All 2 customer advocate seats"):
        nomination_create(council=council(BRAND), kind=CA, user=employee())


def test_the_seat_count_is_checked_again_at_acceptance():
    fill(BRAND, leave={BA: 1})
    first, second = ambassador(), ambassador()
    one = nomination_create(council=council(BRAND), kind=BA, user=first)
    two = nomination_create(council=council(BRAND), kind=BA, user=second)
    nomination_accept(token=one.token, user=first)
    with pytest.raises(NoSeatLeft, match="was taken before you accepted"):
        nomination_accept(token=two.token, user=second)
    assert Nomination.objects.get(user=second).status == Nomination.Status.FAILED
    assert not Term.objects.filter(user=second).exists()


def test_the_rules_are_checked_again_at_acceptance_when_things_changed():
    fan = ambassador()
    nominated = nomination_create(council=council(BRAND), kind=BA, user=fan)
    membership_pause(membership=Membership.objects.get(user=fan))
    with pytest.raises(SeatingRefused, match="not an active ambassador"):
        nomination_accept(token=nominated.token, user=fan)
    assert not Term.objects.exists()
    assert Nomination.objects.get().status == Nomination.Status.PENDING  # a manager may withdraw it


def test_nobody_sits_twice_on_one_council():
    worker = employee()
    seat(BRAND, CA, worker)
    with pytest.raises(SeatingRefused, match="already sits on the Brand Advisory Council"):
        nomination_create(council=council(BRAND), kind=CA, user=worker)


def test_nobody_is_seated_twice_by_two_nominations_accepted_in_turn():
    fan = ambassador()
    nominated = nomination_create(council=council(BRAND), kind=BA, user=fan)
    Nomination.objects.create(  # a second pending nomination cannot exist; an accepted one can linger
        council=council(BRAND), kind=CA, user=fan, token="x" * 64, status=Nomination.Status.DECLINED,
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=9),
        expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    nomination_accept(token=nominated.token, user=fan)
    assert Term.objects.filter(user=fan, vacated_at__isnull=True).count() == 1


def test_nominating_again_returns_the_pending_nomination_and_sends_no_second_email(
    django_capture_on_commit_callbacks,
):
    fan, today = ambassador(), timezone.localdate()
    args = {"council": council(BRAND), "kind": BA, "user": fan, "starts_on": today, "ends_on": today + timedelta(365)}
    with django_capture_on_commit_callbacks(execute=True):
        first = nomination_create(**args)
        again = nomination_create(**args)
    assert again.nomination == first.nomination
    assert not again.created
    assert Nomination.objects.count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(SeatingRefused, match="already has a pending nomination"):
        nomination_create(**args | {"ends_on": today + timedelta(100)})


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [(0, 0, "ends_on"), (10, 5, "ends_on"), (-30, -1, "ends_on")],
)
def test_a_term_must_end_after_it_starts_and_in_the_future(starts, ends, field):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        nomination_create(
            council=council(BRAND), kind=BA, user=ambassador(),
            starts_on=today + timedelta(starts), ends_on=today + timedelta(ends),
        )  # fmt: skip
    assert field in caught.value.message_dict
    assert not Nomination.objects.exists()


def test_a_note_too_long_or_with_a_nul_is_refused_and_nothing_is_written():
    for note in ["x" * 2001, "cherry\x00"]:
        with pytest.raises(ValidationError):
            nomination_create(council=council(BRAND), kind=BA, user=ambassador(), note=note)
    assert not Nomination.objects.exists()
    assert not SeatEvent.objects.exists()
    assert not mail.outbox


def test_declining_and_withdrawing_close_the_link():
    fan, other, staff = ambassador(), ambassador(), manager()
    declined = nomination_create(council=council(BRAND), kind=BA, user=fan)
    nomination_decline(token=declined.token, user=fan, note="Too busy this year")
    assert nomination_decline(token=declined.token, user=fan).status == Nomination.Status.DECLINED  # again: same
    with pytest.raises(NominationUnusable, match="declined"):
        nomination_accept(token=declined.token, user=fan)
    withdrawn = nomination_create(council=council(BRAND), kind=BA, user=other)
    nomination_withdraw(nomination=withdrawn.nomination, by=staff)
    nomination_withdraw(nomination=withdrawn.nomination, by=staff)  # twice: the same answer
    with pytest.raises(NominationUnusable, match="withdrawn"):
        nomination_accept(token=withdrawn.token, user=other)
    assert not Term.objects.exists()
    events = SeatEvent.objects.values_list("kind", flat=True)
    assert sorted(events) == sorted(["nominated", "nominated", "declined", "withdrawn"])


def test_one_chair_per_council_and_the_history_says_who():
    terms = fill(BRAND)
    staff = manager()
    first, second = terms[BA][0], terms[CA][0]
    term_make_chair(term=first, by=staff)
    term_make_chair(term=second, by=staff)
    assert list(Term.objects.filter(council__kind=BRAND, is_chair=True).values_list("pk", flat=True)) == [second.pk]
    assert SeatEvent.objects.filter(kind=SeatEvent.Kind.CHAIR, by=staff).count() == 2


def test_vacating_needs_a_reason_and_lets_the_role_go_only_when_seated_nowhere():
    fan = ambassador()
    brand = seat(BRAND, BA, fan)
    customer = seat(CUSTOMER, BA, fan)
    with pytest.raises(ValidationError):
        term_vacate(term=customer, reason="  ")
    term_vacate(term=customer, reason="Stepping back from the intranet work")
    assert not fan.groups.filter(pk=council(CUSTOMER).group_id).exists()
    assert fan.groups.filter(pk=council(BRAND).group_id).exists()
    assert has_role(User.objects.get(pk=fan.pk), Role.COUNCIL_MEMBER)
    term_vacate(term=brand, reason="Moving abroad")
    assert not has_role(User.objects.get(pk=fan.pk), Role.COUNCIL_MEMBER)
    assert not fan.groups.filter(pk=council(BRAND).group_id).exists()
    assert term_vacate(term=brand, reason="again") == []  # vacating twice changes nothing
