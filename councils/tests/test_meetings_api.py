"""The meetings API: scopes, idempotent creates, the error shape, the .ics, PATCH of an action item, no IDOR."""

from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar

from councils.models import ActionItem, Council, Meeting
from councils.tests import fixtures_meetings

council = fixtures_meetings.council
people = fixtures_meetings.people

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _october():
    with time_machine.travel(datetime(2026, 10, 1, tzinfo=UTC)):
        yield


BODY = {
    "title": "Q4 with executives",
    "starts_at": "2026-10-20T10:00",
    "duration_minutes": 90,
    "video_url": "https://meet.example/q4",
    "agenda": "The quarter",
    "executives": ["erin.exec@carlssoda.example"],
}


@pytest.fixture
def writer(api_client):
    return api_client("councils:read", "councils:write")


def test_create_is_idempotent_with_its_key_and_reads_local_time(writer, council, people):
    first = writer.post("/api/v1/councils/customer/meetings", BODY, HTTP_IDEMPOTENCY_KEY="q4-once")
    assert first.status_code == 201, first.content
    again = writer.post("/api/v1/councils/customer/meetings", BODY, HTTP_IDEMPOTENCY_KEY="q4-once")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Meeting.objects.count() == 1
    data = first.json()
    assert data["starts_at"] == "2026-10-20T10:00:00-04:00"
    assert {a["email"]: a["role"] for a in data["attendees"]} == {
        "erin.exec@carlssoda.example": "executive",
        "cara.chair@carlssoda.example": "member",
        "milo.member@carlssoda.example": "member",
    }


def test_bad_meetings_answer_the_error_shape_and_write_nothing(writer, council, people, assert_api_error):
    response = writer.post("/api/v1/councils/customer/meetings", BODY | {"video_url": "", "place": ""})
    error = assert_api_error(response, 400, "invalid")
    assert error["details"] == {"place": ["Give a place or a video link."]}
    response = writer.post("/api/v1/councils/customer/meetings", BODY | {"executives": ["eli.employee@x.example"]})
    assert_api_error(response, 400, "invalid")
    response = writer.post(
        "/api/v1/councils/customer/meetings", {k: v for k, v in BODY.items() if k != "duration_minutes"}
    )
    assert_api_error(response, 400, "invalid")
    assert_api_error(writer.post("/api/v1/councils/nowhere/meetings", BODY), 404, "not_found")
    assert not Meeting.objects.exists()


def test_scopes(api_client, council, people, assert_api_error):
    reader = api_client("councils:read")
    assert reader.get("/api/v1/councils/customer/meetings").status_code == 200
    assert_api_error(reader.post("/api/v1/councils/customer/meetings", BODY), 403, "permission_denied")
    stranger = api_client("mentions:read")
    assert_api_error(stranger.get("/api/v1/councils/customer/meetings"), 403, "permission_denied")
    assert not Meeting.objects.exists()


def test_detail_ics_action_items_and_patch(writer, council, people, assert_api_error):
    meeting = writer.post("/api/v1/councils/customer/meetings", BODY).json()
    url = f"/api/v1/meetings/{meeting['id']}"
    no_owner = writer.post(f"{url}/action-items", {"title": "Orphan", "due_on": "2026-11-01"})
    error = assert_api_error(no_owner, 400, "invalid")
    assert error["details"] == {"owner": ["An action item needs an owner: choose who will do it."]}
    body = {"title": "Draft spotlight", "owner": "milo.member@carlssoda.example", "due_on": "2026-11-01"}
    made = writer.post(f"{url}/action-items", body, HTTP_IDEMPOTENCY_KEY="item-1")
    assert made.status_code == 201
    assert writer.post(f"{url}/action-items", body, HTTP_IDEMPOTENCY_KEY="item-1").status_code == 200
    assert ActionItem.objects.count() == 1
    item = made.json()
    assert item["owner"] == {"name": "Milo Brandt", "email": "milo.member@carlssoda.example"}
    detail = writer.get(url).json()
    assert [i["title"] for i in detail["action_items"]] == ["Draft spotlight"]
    assert detail["carried_over"] == []
    ics = writer.get(f"{url}/ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting['uid']}@rapport"
    patched = writer.patch(f"/api/v1/action-items/{item['id']}", {"status": "done"})
    assert patched.status_code == 200
    assert patched.json()["status"] == "done"
    assert patched.json()["closed_at"] is not None
    assert_api_error(writer.patch(f"/api/v1/action-items/{item['id']}", {"status": "finished"}), 400, "invalid")


def test_signed_in_people_see_only_their_meetings(writer, client, council, people, make_user, assert_api_error):
    brand = Council.objects.get(kind="brand")
    other = writer.post("/api/v1/councils/brand/meetings", BODY | {"executives": []}).json()
    mine = writer.post("/api/v1/councils/customer/meetings", BODY).json()
    item = writer.post(
        f"/api/v1/meetings/{mine['id']}/action-items",
        {"title": "Mine", "owner": "milo.member@carlssoda.example", "due_on": "2026-11-01"},
    ).json()
    client.force_login(people["member"])  # sits on the Customer council only
    assert client.get(f"/api/v1/meetings/{mine['id']}").status_code == 200
    assert_api_error(client.get(f"/api/v1/meetings/{other['id']}"), 404, "not_found")
    assert_api_error(client.get(f"/api/v1/meetings/{other['id']}/ics"), 404, "not_found")
    assert_api_error(client.get(f"/api/v1/councils/{brand.kind}/meetings"), 403, "permission_denied")
    # A member may not schedule; nothing is written.
    assert_api_error(
        client.post("/api/v1/councils/customer/meetings", BODY, content_type="application/json"),
        403,
        "permission_denied",
    )
    assert Meeting.objects.count() == 2
    client.force_login(people["outsider"])
    assert_api_error(client.get(f"/api/v1/meetings/{mine['id']}"), 404, "not_found")
    response = client.patch(f"/api/v1/action-items/{item['id']}", {"status": "done"}, content_type="application/json")
    assert_api_error(response, 404, "not_found")
    assert ActionItem.objects.get(pk=item["id"]).status == "open"
    client.force_login(people["executive"])  # invited to the Customer meeting only
    listed = client.get("/api/v1/councils/brand/meetings").json()
    assert listed == []
    assert client.get(f"/api/v1/meetings/{mine['id']}").status_code == 200
