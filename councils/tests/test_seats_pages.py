"""The seat pages: the index, a council's page (private to its members and managers), nominating and vacating
through the forms, the nominee's page."""

import re

import pytest
from django.core import mail

from advocacy.models import Activity, Membership
from advocacy.services.activities import activity_record
from councils.models import Council, Nomination, SeatKind, Term
from councils.tests.seats_factories import ambassador, councils, employee, fill, manager, seat  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("councils")]

BRAND, CUSTOMER = Council.Kind.BRAND, Council.Kind.CUSTOMER
BA, CA = SeatKind.BRAND_ADVOCATE, SeatKind.CUSTOMER_ADVOCATE


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _shares(user, count: int) -> None:
    membership = Membership.objects.get(user=user)
    for n in range(count):
        activity_record(membership=membership, kind=Activity.Kind.SHARE, key=f"https://social.example/{user.pk}/{n}")


def test_a_member_sees_their_council_and_not_the_others_unless_seated_there(client):
    worker, fan = employee("Quinn Avery"), ambassador("Lou Berry")
    seat(CUSTOMER, CA, worker)
    client.force_login(worker)
    index = _text(client.get("/councils/"))
    assert 'id="council-customer"' in index
    assert 'id="council-brand"' not in index
    assert client.get("/councils/customer/").status_code == 200
    assert client.get("/councils/brand/").status_code == 403
    assert client.get("/councils/board/").status_code == 403  # no such council: a member learns nothing more
    seat(BRAND, BA, fan)
    seat(CUSTOMER, BA, fan)
    client.force_login(fan)
    assert client.get("/councils/brand/").status_code == 200
    assert client.get("/councils/customer/").status_code == 200


def test_a_manager_sees_both_councils_with_vacancies_and_the_candidates_ranked_by_activity(client):
    keen, keener, idle = ambassador("Kim Keen"), ambassador("Ray Keener"), ambassador("Ida Idle")
    _shares(keen, 2)
    _shares(keener, 5)
    client.force_login(manager())
    assert client.get("/councils/board/").status_code == 404
    index = _text(client.get("/councils/"))
    assert 'id="council-brand"' in index
    assert 'id="council-customer"' in index
    assert "6 vacant seats" in index
    page = _text(client.get("/councils/brand/"))
    brand_candidates = page.split("4 brand advocate seats", 1)[1].split("</ul>", 1)[0]
    order = [brand_candidates.index(name) for name in ("Ray Keener", "Kim Keen", "Ida Idle")]
    assert order == sorted(order)
    assert "25 points" in brand_candidates
    assert 'action="/councils/brand/nominate/"' in page
    # The Customer council's brand seats: only the Brand council's brand advocates, not yet on it.
    seat(BRAND, BA, idle)
    customer = _text(client.get("/councils/customer/"))
    brand_part = customer.split("2 brand advocate seats", 1)[1].split("</ul>", 1)[0]
    assert "Ida Idle" in brand_part
    assert "Ray Keener" not in brand_part


def test_nominating_through_the_form_emails_the_nominee_and_a_retry_duplicates_nothing(
    client, django_capture_on_commit_callbacks
):
    fan = ambassador("Zoe Fairweather")
    client.force_login(manager())
    form = {
        "brand_advocate-kind": "brand_advocate",
        "brand_advocate-user": fan.pk,
        "brand_advocate-starts_on": "2026-12-01",
        "brand_advocate-ends_on": "2027-11-30",
        "brand_advocate-note": "We would love you on the council.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/councils/brand/nominate/", form).status_code == 302
        assert client.post("/councils/brand/nominate/", form).status_code == 302
    assert Nomination.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "We would love you on the council." in mail.outbox[0].body
    page = _text(client.get("/councils/brand/"))
    assert "Zoe Fairweather" in page.split("Pending nominations", 1)[1]


def test_bad_input_on_the_nominate_form_says_why_and_writes_nothing(client):
    worker = employee("Ned Staff")
    client.force_login(manager())
    # An employee offered as a brand advocate: not in the form's choices, refused by the form.
    form = {"brand_advocate-kind": "brand_advocate", "brand_advocate-user": worker.pk,
            "brand_advocate-starts_on": "2026-12-01", "brand_advocate-ends_on": "2027-11-30"}  # fmt: skip
    response = client.post("/councils/brand/nominate/", form)
    assert response.status_code == 400
    assert "Select a valid choice" in _text(response)
    response = client.post("/councils/brand/nominate/", form | {"brand_advocate-ends_on": "2026-01-01"})
    assert "The term must end after it starts." in _text(response)
    # A Customer-council brand advocate who is not on the Brand council (the service's rule, not the form's).
    fan = ambassador("Olive Stray")
    form = {"customer_advocate-kind": "brand_advocate", "brand_advocate-kind": "brand_advocate",
            "brand_advocate-user": fan.pk, "brand_advocate-starts_on": "2026-12-01",
            "brand_advocate-ends_on": "2027-11-30"}  # fmt: skip
    response = client.post("/councils/customer/nominate/", form)
    assert response.status_code == 400  # not offered: only Brand council brand advocates are
    assert not Nomination.objects.exists()


def test_the_seventh_seat_is_refused_on_the_page(client):
    fill(BRAND)
    client.force_login(manager())
    page = _text(client.get("/councils/brand/"))
    assert "No vacancy: all six seats are filled." in page
    assert 'action="/councils/brand/nominate/"' not in page
    fan = ambassador()
    form = {"brand_advocate-kind": "brand_advocate", "brand_advocate-user": fan.pk,
            "brand_advocate-starts_on": "2026-12-01", "brand_advocate-ends_on": "2027-11-30"}  # fmt: skip
    response = client.post("/councils/brand/nominate/", form)
    assert response.status_code == 409
    assert "All 4 brand advocate seats of the Brand Advisory Council are taken" in _text(response)
    assert not Nomination.objects.filter(user=fan).exists()


def test_vacating_asks_first_then_vacates_the_chain(client):
    fan = ambassador("Max Chain")
    brand = seat(BRAND, BA, fan)
    customer = seat(CUSTOMER, BA, fan)
    client.force_login(manager())
    ask = client.post(f"/councils/brand/terms/{brand.pk}/vacate/", {"reason": "Stepping down"})
    assert ask.status_code == 200
    assert "Customer Advisory Council seat depends on it" in _text(ask)
    assert Term.objects.filter(vacated_at__isnull=True).count() == 2
    done = client.post(f"/councils/brand/terms/{brand.pk}/vacate/", {"reason": "Stepping down", "confirm": "1"})
    assert done.status_code == 302
    customer.refresh_from_db()
    assert customer.vacated_at is not None
    history = _text(client.get("/councils/customer/")).split("History", 1)[1]
    assert "Their Brand Advisory Council seat was vacated (Stepping down)." in history


def test_the_nominee_declines_on_their_page(client):
    from councils.services.seats import nomination_create

    fan = ambassador()
    token = nomination_create(council=Council.objects.get(kind=BRAND), kind=BA, user=fan).token
    client.force_login(fan)
    page = client.get(f"/councils/nominations/{token}/?answer=decline")
    assert "Decline" in _text(page)
    response = client.post(f"/councils/nominations/{token}/", {"answer": "decline", "note": "Not this year"})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.status, nomination.answer_note) == (Nomination.Status.DECLINED, "Not this year")
    assert "You declined this nomination already" in _text(client.get(f"/councils/nominations/{token}/"))


def test_a_visitor_is_sent_to_sign_in_first(client):
    response = client.get("/councils/nominations/any-token/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/councils/nominations/any-token/")
