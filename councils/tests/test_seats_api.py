"""The seats API: both councils, one council, its history, and idempotent nominations."""

import pytest

from accounts.roles import Role
from councils.models import Council, Nomination, SeatKind
from councils.services.seats import term_make_chair
from councils.tests.seats_factories import ambassador, councils, employee, fill, manager, seat  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("councils")]

BRAND, CUSTOMER = Council.Kind.BRAND, Council.Kind.CUSTOMER


def test_a_key_reads_both_councils_with_their_six_seats(api_client):
    terms = fill(BRAND, leave={SeatKind.BRAND_ADVOCATE: 1})
    term_make_chair(term=terms[SeatKind.CUSTOMER_ADVOCATE][0])
    body = api_client("councils:read").get("/api/v1/councils").json()
    assert [c["kind"] for c in body] == [BRAND, CUSTOMER]
    brand = body[0]
    assert [s["number"] for s in brand["seats"]] == [1, 2, 3, 4, 5, 6]
    assert [s["kind"] for s in brand["seats"]] == ["brand_advocate"] * 4 + ["customer_advocate"] * 2
    assert [s["vacant"] for s in brand["seats"]] == [False, False, False, True, False, False]
    chair = terms[SeatKind.CUSTOMER_ADVOCATE][0]
    assert brand["seats"][4] == {
        "number": 5, "kind": "customer_advocate", "vacant": False, "holder": chair.user.name, "chair": True,
        "term": {"starts_on": chair.starts_on.isoformat(), "ends_on": chair.ends_on.isoformat(),
                 "seated_at": brand["seats"][4]["term"]["seated_at"]},
    }  # fmt: skip
    assert brand["seats"][3]["holder"] is None
    assert brand["seats"][3]["term"] is None
    assert brand["chair"] == chair.user.name
    assert brand["vacancies"] == 1
    assert body[1]["vacancies"] == 6


def test_one_council_and_its_history(api_client, assert_api_error):
    fan = ambassador("Tess Orchard")
    seat(BRAND, SeatKind.BRAND_ADVOCATE, fan)
    api = api_client("councils:read")
    assert api.get("/api/v1/councils/brand").json()["seats"][0]["holder"] == "Tess Orchard"
    history = api.get("/api/v1/councils/brand/history").json()
    assert [e["kind"] for e in history] == ["seated", "nominated"]
    assert history[0]["person"] == "Tess Orchard"
    assert history[0]["seat"] == 1
    assert_api_error(api.get("/api/v1/councils/board"), 404, "not_found")


def test_a_key_without_the_scope_and_a_member_of_the_other_council_are_refused(api_client, client, assert_api_error):
    assert_api_error(api_client("reports:read").get("/api/v1/councils"), 403, "permission_denied")
    worker = employee()
    seat(CUSTOMER, SeatKind.CUSTOMER_ADVOCATE, worker)
    client.force_login(worker)
    assert [c["kind"] for c in client.get("/api/v1/councils").json()] == [CUSTOMER]
    assert client.get("/api/v1/councils/customer").status_code == 200
    assert_api_error(client.get("/api/v1/councils/brand"), 403, "permission_denied")
    assert_api_error(client.get("/api/v1/councils/brand/history"), 403, "permission_denied")


def test_nominating_is_idempotent_and_validates(api_client, assert_api_error, django_capture_on_commit_callbacks):
    from django.core import mail

    fan = ambassador("Pia Lark")
    api = api_client("councils:read", "councils:write")
    payload = {"email": fan.email.upper(), "kind": "brand_advocate", "note": "Welcome aboard"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/councils/brand/nominations", payload)
        again = api.post("/api/v1/councils/brand/nominations", payload)
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["nominee"] == "Pia Lark"
    assert first.json()["status"] == "pending"
    assert "token" not in first.json()
    assert Nomination.objects.count() == 1
    assert len(mail.outbox) == 1

    error = assert_api_error(api.post("/api/v1/councils/brand/nominations", {"kind": "brand_advocate"}), 400, "invalid")
    assert "email" in error["details"]
    error = assert_api_error(
        api.post("/api/v1/councils/brand/nominations", {"email": "nobody@customers.example", "kind": "brand_advocate"}),
        400,
        "invalid",
    )
    assert "Nobody" in error["details"]["email"][0]
    worker = employee()
    error = assert_api_error(
        api.post("/api/v1/councils/brand/nominations", {"email": worker.email, "kind": "brand_advocate"}),
        409,
        "seating_refused",
    )
    assert "not an active ambassador" in error["message"]
    error = assert_api_error(
        api.post(
            "/api/v1/councils/brand/nominations",
            {"email": worker.email, "kind": "customer_advocate", "starts_on": "2030-05-01", "ends_on": "2030-01-01"},
        ),
        400,
        "invalid",
    )
    assert "ends_on" in error["details"]
    assert_api_error(
        api_client("councils:read").post("/api/v1/councils/brand/nominations", payload), 403, "permission_denied"
    )
    assert Nomination.objects.count() == 1


def test_a_signed_in_manager_nominates_and_others_may_not(client, assert_api_error):
    fan = ambassador()
    client.force_login(employee())
    payload = {"email": fan.email, "kind": "brand_advocate"}
    assert_api_error(
        client.post("/api/v1/councils/brand/nominations", payload, content_type="application/json"),
        403,
        "permission_denied",
    )
    staff = manager()
    client.force_login(staff)
    response = client.post("/api/v1/councils/brand/nominations", payload, content_type="application/json")
    assert response.status_code == 201
    assert Nomination.objects.get().nominated_by == staff
    assert staff.groups.filter(name=Role.INSIGHTS_STAFF).exists()
