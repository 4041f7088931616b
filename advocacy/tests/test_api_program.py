"""The program API: invitations, revoke, stats, ambassadors; scopes program:read / program:write."""

import json

import pytest
from django.core import mail

from accounts.tests.factories import ApiKeyFactory
from advocacy.models import Invitation
from advocacy.services.activities import activity_record
from advocacy.services.invitations import invitation_accept
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client):
    def make(*scopes):
        client = api_client(*scopes)

        def call(method, path, body=None):
            kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
            return getattr(client, method)(f"/api/v1/{path}", **kwargs)

        return call

    return make


def test_an_integration_invites_and_the_invitee_gets_the_email(
    api, django_capture_on_commit_callbacks, assert_api_error
):
    call = api("program:write", "program:read")
    with django_capture_on_commit_callbacks(execute=True):
        response = call("post", "invitations", {"email": "Kim@Customers.example", "name": "Kim", "note": "Hi!"})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["email"] == "kim@customers.example"
    assert isinstance(body["id"], int)
    assert "token" not in json.dumps(body)
    assert mail.outbox[0].to == ["kim@customers.example"]

    again = call("post", "invitations", {"email": "kim@customers.example"})
    assert "already has a pending invitation" in assert_api_error(again, 409, "invitation_conflict")["message"]
    assert Invitation.objects.count() == 1

    listed = call("get", "invitations?status=pending").json()
    assert [i["email"] for i in listed["results"]] == ["kim@customers.example"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "nope"}, "email"), ({}, "email"), ({"email": "a@b.example", "note": "x" * 2001}, "note")],
)
def test_bad_invitations_name_the_field(api, body, field, assert_api_error):
    response = api("program:write")("post", "invitations", body)
    assert field in assert_api_error(response, 400, "invalid")["details"]
    assert not Invitation.objects.exists()


def test_revoke_kills_the_link_and_an_unknown_id_is_404(api):
    invitation, token = InvitationFactory()
    call = api("program:write")
    response = call("post", f"invitations/{invitation.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert call("post", f"invitations/{invitation.pk}/revoke").json()["status"] == "revoked"  # twice: the same
    assert call("post", "invitations/999999/revoke").status_code == 404


def test_stats_count_seats_waitlist_and_the_funnel(api):
    from advocacy.models import Program

    Program.objects.filter(pk=1).update(seat_limit=1)
    MembershipFactory()
    invitation_accept(token=InvitationFactory()[1], name="Lee", password="x" * 12)  # waitlisted
    InvitationFactory()

    stats = api("program:read")("get", "program/stats").json()

    assert stats == {
        "seat_limit": 1,
        "seats_used": 1,
        "waitlist": 1,
        "invitations": {"sent": 2, "pending": 1, "accepted": 1, "declined": 0, "expired": 0, "revoked": 0},
    }


def test_ambassadors_come_with_counted_activity_totals(api):
    member = MembershipFactory()
    activity_record(membership=member, kind="share", key="https://social.example/p/1")
    activity_record(membership=member, kind="conversion", key="order-1", held=True)  # held: not counted

    results = api("program:read")("get", "ambassadors").json()["results"]

    assert results[0]["email"] == member.user.email
    assert results[0]["totals"]["shares"] == 1
    assert results[0]["totals"]["conversions"] == 0
    assert results[0]["totals"]["points"] == 5


def test_scopes_are_enforced(api):
    assert api("program:read")("post", "invitations", {"email": "kim@customers.example"}).status_code == 403
    assert api("mentions:read")("get", "program/stats").status_code == 403
    assert api("referrals:write")("get", "ambassadors").status_code == 403


def test_an_invitation_through_the_api_records_the_owner_of_the_key(client, make_user):
    ana = make_user("ana.insights")
    _, key = ApiKeyFactory(scopes=["program:write"], created_by=ana)

    response = client.post(
        "/api/v1/invitations",
        json.dumps({"email": "kim@customers.example"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )

    assert response.status_code == 201
    assert response.json()["invited_by"] == ana.email
    assert Invitation.objects.get().invited_by == ana
