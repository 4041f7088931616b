"""POST /api/v1/referrals/conversions: a shop reports an order that came through a referral link."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from advocacy.models import Activity, Conversion
from advocacy.selectors.recognition import activity_totals
from advocacy.selectors.referrals import referral_totals
from advocacy.services.referrals import conversion_record
from advocacy.tests.factories import ReferralLinkFactory

URL = "/api/v1/referrals/conversions"


@pytest.fixture
def link(db, channels):
    return ReferralLinkFactory(code="Amy12345")


@pytest.fixture
def shop(api_client):
    client = api_client("referrals:write")

    def post(**body):
        return client.post(URL, json.dumps(body), content_type="application/json")

    return post


def order(n=1, **fields):
    return {"code": "Amy12345", "order_id": f"A-{n}", "customer_ref": f"cust-{n}", **fields}


@pytest.mark.django_db
def test_the_first_call_creates_and_a_replay_answers_the_same(shop, link):
    body = order(amount="24.50", currency="usd", ordered_at="2026-01-05T14:03:00+01:00", channel="twitter")

    first = shop(**body)
    replay = shop(**body)

    assert first.status_code == 201, first.json()
    assert replay.status_code == 200
    assert replay.json() == first.json()
    data = first.json()
    assert data["order_id"] == "A-1"
    assert data["code"] == "Amy12345"
    assert (data["amount"], data["currency"], data["channel"]) == ("24.50", "USD", "twitter")
    assert (data["review"], data["flags"], data["is_returning"]) == ("clear", [], False)
    assert Conversion.objects.count() == 1
    assert Activity.objects.filter(kind="conversion", key="A-1", held=False).count() == 1


@pytest.mark.django_db
def test_the_same_order_id_with_other_data_is_a_conflict(shop, link, assert_api_error):
    shop(**order(amount="24.50"))

    response = shop(**order(amount="99.00"))

    error = assert_api_error(response, 409, "conflict")
    assert "A-1" in error["message"]
    assert "amount" in error["message"]
    assert error["details"] == {"fields": ["amount"]}
    assert Conversion.objects.get().amount == 24.5


@pytest.mark.django_db
def test_an_unknown_code_is_a_400_naming_the_field(shop, link, assert_api_error):
    response = shop(**order(code="NotACode"))

    error = assert_api_error(response, 400, "unknown_referral_code")
    assert "code" in error["details"]
    assert Conversion.objects.count() == 0


@pytest.mark.django_db
def test_bad_input_answers_in_the_error_shape(shop, link, assert_api_error):
    response = shop(code="Amy12345", ordered_at="2026-01-05T14:03:00", customer_email="nope")

    details = assert_api_error(response, 400, "invalid")["details"]
    assert {"order_id", "customer_ref", "ordered_at", "customer_email"} <= set(details)


@pytest.mark.django_db
def test_a_self_referral_is_held_out_of_points_until_approved(shop, link, client, login):
    email = link.membership.user.email.upper()  # the shop may send it in another case
    response = shop(**order(customer_email=email))

    assert response.status_code == 201
    assert (response.json()["review"], response.json()["flags"]) == ("held", ["self_referral"])
    conversion = Conversion.objects.get()
    assert email.lower() not in conversion.customer_email_hash  # only a keyed hash is kept
    assert activity_totals([link.membership])[link.membership.pk].points == 0
    assert referral_totals()["conversions"] == 0

    login(client, "ana.insights")
    page = client.get("/program/referrals/review/")
    assert b"A-1" in page.content
    assert b"self_referral" in page.content
    asked = client.post(f"/program/referrals/review/conversions/{conversion.pk}", {"action": "approve"})
    assert asked.status_code == 200
    assert b"Approve order A-1?" in asked.content
    assert Conversion.objects.get().review == "held"  # nothing decided before the confirmation
    answer = client.post(
        f"/program/referrals/review/conversions/{conversion.pk}", {"action": "approve", "confirm": "1"}
    )

    assert answer.status_code == 302
    assert answer["Location"] == "/program/referrals/review/"
    conversion.refresh_from_db()
    assert conversion.review == "approved"
    assert activity_totals([link.membership])[link.membership.pk].points == 50
    assert referral_totals()["conversions"] == 1
    after = client.get("/program/referrals/review/").content
    assert b"Order A-1 approved." in after
    assert b"No conversions held for review." in after


@pytest.mark.django_db
def test_a_rejected_conversion_never_counts(link, client, login):
    result = conversion_record(
        code=link.code, order_id="A-9", customer_ref="c", customer_email=link.membership.user.email
    )
    login(client, "ana.insights")

    asked = client.post(f"/program/referrals/review/conversions/{result.conversion.pk}", {"action": "reject"})
    assert b"Reject order A-9?" in asked.content
    assert Conversion.objects.get().review == "held"
    client.post(f"/program/referrals/review/conversions/{result.conversion.pk}", {"action": "reject", "confirm": "1"})

    assert Conversion.objects.get().review == "rejected"
    assert Activity.objects.get(kind="conversion").held is True
    assert referral_totals()["conversions"] == 0


@pytest.mark.django_db
def test_a_customer_who_comes_back_is_returning(link):
    now = timezone.now()
    first = conversion_record(code=link.code, order_id="A-1", customer_ref="kim", ordered_at=now - timedelta(days=30))
    again = conversion_record(code=link.code, order_id="A-2", customer_ref="kim", ordered_at=now)
    other = conversion_record(code=link.code, order_id="A-3", customer_ref="lee", ordered_at=now)

    assert [first.conversion.is_returning, again.conversion.is_returning, other.conversion.is_returning] == [
        False,
        True,
        False,
    ]
    assert referral_totals() == {"clicks": 0, "conversions": 3, "returning_customers": 1}


@pytest.mark.django_db
def test_too_many_orders_from_one_customer_or_visitor_are_held(link, settings):
    settings.ADVOCACY_ORDERS_PER_CUSTOMER_PER_DAY = 2
    now = timezone.now()
    results = [
        conversion_record(code=link.code, order_id=f"A-{n}", customer_ref="kim", ordered_at=now - timedelta(hours=n))
        for n in range(3)
    ]
    by_visitor = [
        conversion_record(code=link.code, order_id=f"B-{n}", customer_ref=f"v{n}", visitor_id="browser-7")
        for n in range(3)
    ]

    assert [r.conversion.flags for r in results] == [[], [], ["repeat_customer"]]
    assert [r.conversion.flags for r in by_visitor] == [[], [], ["repeat_visitor"]]
    assert Activity.objects.filter(kind="conversion", held=True).count() == 2


@pytest.mark.django_db
def test_it_needs_the_scope_or_the_manage_permission(client, link, login, api_client):
    body = json.dumps(order())
    reader = api_client("program:read")

    anonymous = client.post(URL, body, content_type="application/json")
    wrong_scope = reader.post(URL, body, content_type="application/json")
    login(client, "amy.ambassador")
    ambassador = client.post(URL, body, content_type="application/json")
    login(client, "ana.insights")
    manager = client.post(URL, body, content_type="application/json")

    assert [anonymous.status_code, wrong_scope.status_code, ambassador.status_code, manager.status_code] == [
        401,
        403,
        403,
        201,
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_order_sent_twice_at_once_makes_one_conversion(channels):
    link = ReferralLinkFactory(code="Amy12345")
    barrier, outcomes = threading.Barrier(8), []

    def send():
        try:
            barrier.wait()
            result = conversion_record(code=link.code, order_id="SAME-1", customer_ref="kim", amount=None)
            outcomes.append(result.created)
        except Exception as exc:  # noqa: BLE001 (any error fails the test below)
            outcomes.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [False] * 7 + [True]
    assert Conversion.objects.count() == 1
    assert Activity.objects.filter(kind="conversion").count() == 1


@pytest.mark.django_db
def test_an_order_time_with_a_large_offset_is_stored_in_utc(shop, link):
    response = shop(**order(ordered_at="2026-01-02T20:00:00+16:20"))
    assert response.status_code == 201
    assert Conversion.objects.get().ordered_at.isoformat() == "2026-01-02T03:40:00+00:00"
