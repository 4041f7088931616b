"""Hostile input to the program's API and forms: too long, out of range, or with NUL characters.

Each is refused with a 400 that names the field, and nothing is written; never a 500.
"""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ApiKeyFactory
from advocacy.models import Conversion, Invitation, Kit, Membership, ReferralClick, Story
from advocacy.services.recognition import story_submit
from advocacy.services.referrals import kit_save
from advocacy.tests.factories import InvitationFactory, KitFactory, MembershipFactory, ReferralLinkFactory, kit_fields

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LONG = "a" * 100_000  # far over every limit, far under the request body limit


@pytest.fixture
def integration(client):
    """An integration holding every scope these endpoints need, posting JSON."""
    _, key = ApiKeyFactory(scopes=["program:write", "program:read", "referrals:write"])

    def post(url, body):
        return client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")

    return post


@pytest.fixture
def manager(client, make_user):
    client.force_login(make_user("ana.insights"))
    return client


@pytest.fixture
def link(channels):
    return ReferralLinkFactory(code="Amy12345")


def order_body(**fields):
    return {"code": "Amy12345", "order_id": "A-1", "customer_ref": "cust-1", **fields}


def invitation_body(**fields):
    return {"email": "kim@customers.example", "name": "Kim Vale", "note": "Loved your float.", **fields}


def assert_refused(assert_api_error, response, field):
    error = assert_api_error(response, 400, "invalid")
    assert field in error["details"], error


# --- Item 2: every text field has a maximum length -------------------------------------------


def test_a_kit_with_a_2_mb_message_is_a_400_naming_message(integration, assert_api_error):
    response = integration("/api/v1/kits", kit_fields(message="Cherry! " * 250_000))
    assert_refused(assert_api_error, response, "message")
    assert not Kit.objects.exists()


def test_a_kit_with_a_3_mb_message_is_refused_and_never_a_500(integration):
    """3 MB is over Django's request body limit (DATA_UPLOAD_MAX_MEMORY_SIZE): refused before any field is read."""
    response = integration("/api/v1/kits", kit_fields(message="Cherry! " * 375_000))
    assert response.status_code in (400, 413)
    assert not Kit.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "field", "value"),
    [
        ("/api/v1/kits", kit_fields, "title", LONG),
        ("/api/v1/kits", kit_fields, "message", LONG),
        ("/api/v1/kits", kit_fields, "target_url", "https://shop.carlssoda.example/" + LONG),
        ("/api/v1/kits", kit_fields, "campaign", LONG),
        ("/api/v1/referrals/conversions", order_body, "code", LONG),
        ("/api/v1/referrals/conversions", order_body, "order_id", LONG),
        ("/api/v1/referrals/conversions", order_body, "customer_ref", LONG),
        ("/api/v1/referrals/conversions", order_body, "customer_email", LONG + "@customers.example"),
        ("/api/v1/referrals/conversions", order_body, "visitor_id", LONG),
        ("/api/v1/referrals/conversions", order_body, "currency", LONG),
        ("/api/v1/referrals/conversions", order_body, "channel", LONG),
        ("/api/v1/invitations", invitation_body, "email", LONG + "@customers.example"),
        ("/api/v1/invitations", invitation_body, "name", LONG),
        ("/api/v1/invitations", invitation_body, "note", LONG),
    ],
)
def test_every_text_field_of_the_api_has_a_maximum_length(integration, assert_api_error, link, url, body, field, value):
    response = integration(url, body(**{field: value}))
    assert_refused(assert_api_error, response, field)
    assert not Kit.objects.exclude(pk=link.kit_id).exists()
    assert not Conversion.objects.exists()
    assert not Invitation.objects.exists()


def test_the_kit_form_refuses_a_message_over_its_maximum(manager):
    response = manager.post("/program/kits/new/", kit_fields(message=LONG))
    assert response.status_code == 400
    assert "message" in response.context["form"].errors
    assert not Kit.objects.exists()


def test_the_kit_service_refuses_a_message_over_its_maximum():
    with pytest.raises(ValidationError) as refused:
        kit_save(**kit_fields(message=LONG, starts_on=TODAY(), ends_on=TODAY()))
    assert "message" in refused.value.message_dict
    assert not Kit.objects.exists()


@pytest.mark.parametrize("field", ["name", "password1", "reason"])
def test_every_text_field_of_the_join_form_has_a_maximum_length(client, field):
    invitation, token = InvitationFactory()
    password = "cherry fizz on a sunday"
    form = {"action": "accept", "name": "Kim Vale", "password1": password, "password2": password, "accept_terms": "on"}

    response = client.post(reverse("advocacy:join", args=[token]), form | {field: LONG})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Membership.objects.exists()


# --- Item 6: dates in a sane range -------------------------------------------------------------


@pytest.mark.parametrize(
    "ordered_at",
    ["0001-01-01T00:00:00+02:00", "0001-01-01T00:00:00-02:00", "1899-12-31T23:00:00+00:00",
     "9999-12-31T23:59:59-05:00", "2201-01-01T00:00:00+00:00"],
)  # fmt: skip
def test_a_conversion_ordered_out_of_range_is_a_400_naming_ordered_at(integration, assert_api_error, link, ordered_at):
    response = integration("/api/v1/referrals/conversions", order_body(ordered_at=ordered_at))
    assert_refused(assert_api_error, response, "ordered_at")
    assert not Conversion.objects.exists()


def test_a_conversion_ordered_tomorrow_is_refused_and_one_a_minute_ahead_is_not(integration, assert_api_error, link):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    assert_refused(assert_api_error, integration("/api/v1/referrals/conversions", order_body(ordered_at=tomorrow)),
                   "ordered_at")  # fmt: skip
    soon = (timezone.now() + timedelta(minutes=1)).isoformat()  # clocks differ a little
    assert integration("/api/v1/referrals/conversions", order_body(ordered_at=soon)).status_code == 201


@pytest.mark.parametrize(("field", "day"), [("starts_on", "0001-01-01"), ("ends_on", "9999-12-31")])
def test_a_kit_dated_out_of_range_is_a_400_naming_the_date(integration, assert_api_error, manager, field, day):
    assert_refused(assert_api_error, integration("/api/v1/kits", kit_fields(**{field: day})), field)

    response = manager.post("/program/kits/new/", kit_fields(**{field: day}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Kit.objects.exists()


@pytest.mark.parametrize("hour", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:00:00+05:00", "not an hour", ""])
def test_a_flood_review_for_an_impossible_hour_is_a_400(manager, link, settings, hour):
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 0  # every click held
    manager.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 Firefox/126.0", REMOTE_ADDR="203.0.113.7")
    url = reverse("advocacy:referral_review_flood", args=[link.pk])

    response = manager.post(url, {"action": "approve", "hour": hour, "confirm": "1"})

    assert response.status_code == 400
    assert "hour" in response.content.decode().lower()
    assert ReferralClick.objects.get().flagged


# --- Item 5: NUL characters --------------------------------------------------------------------


@pytest.fixture
def submitted(make_user):
    amy = MembershipFactory(user=make_user("amy.ambassador"))
    return story_submit(membership=amy, title="My cherry summer", body="It was fizzy.")


@pytest.mark.parametrize("note", ["Add photos\x00please", "\x00"])
def test_a_decline_note_with_a_nul_is_a_400_and_the_story_stays_submitted(manager, submitted, note):
    response = manager.post(reverse("advocacy:story_decline", args=[submitted.pk]), {"note": note})

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()  # refused before any view (core.middleware)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.staff_note) == (Story.Status.SUBMITTED, "")


def test_a_decline_note_over_its_maximum_is_a_400(manager, submitted):
    response = manager.post(reverse("advocacy:story_decline", args=[submitted.pk]), {"note": LONG})
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == Story.Status.SUBMITTED


@pytest.mark.parametrize("action", ["pause", "left", "removed", "alumni"])
def test_a_membership_reason_with_a_nul_is_a_400_and_nothing_changes(manager, action):
    member = MembershipFactory()
    url = reverse("advocacy:member_status", args=[member.pk])

    response = manager.post(url, {"action": action, "reason": "Moved\x00abroad", "confirm": "1"})

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    assert list(member.events.values_list("kind", flat=True)) == ["joined"]


def test_a_membership_reason_with_a_nul_is_refused_before_asking_to_confirm(manager):
    member = MembershipFactory()
    response = manager.post(reverse("advocacy:member_status", args=[member.pk]), {"action": "left", "reason": "\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/kits", kit_fields, "title"),
        ("/api/v1/kits", kit_fields, "message"),
        ("/api/v1/referrals/conversions", order_body, "order_id"),
        ("/api/v1/referrals/conversions", order_body, "customer_ref"),
        ("/api/v1/referrals/conversions", order_body, "visitor_id"),
        ("/api/v1/invitations", invitation_body, "name"),
        ("/api/v1/invitations", invitation_body, "note"),
    ],
)
def test_a_nul_in_any_text_field_of_the_api_is_a_400_naming_it(integration, assert_api_error, link, url, body, field):
    response = integration(url, body(**{field: "Cherry\x00Fizz"}))
    assert_refused(assert_api_error, response, field)


@pytest.mark.parametrize("path", ["/r/Amy1%002345", "/r/Amy12345?ch=twit%00ter"])
def test_a_nul_in_a_referral_link_redirects_and_counts_nothing_odd(client, link, path):
    response = client.get(path, HTTP_USER_AGENT="Mozilla/5.0 Firefox/126.0", REMOTE_ADDR="203.0.113.7")
    assert response.status_code in (302, 400)
    assert not ReferralClick.objects.filter(channel__isnull=False).exists()


def test_a_kit_made_through_the_api_is_still_fine(integration):
    """The limits leave ordinary input alone."""
    assert integration("/api/v1/kits", kit_fields()).status_code == 201
    KitFactory()
    assert Kit.objects.count() == 2
