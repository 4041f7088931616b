"""POST /api/v1/mentions/{id}/response: an integration reports a first response; the first one counts."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from insights.models import Channel, Mention, MentionAction
from insights.services.ingest import mentions_ingest
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def mention():
    Channel.objects.filter(slug="twitter").update(response_target_minutes=60)
    published = timezone.now() - timedelta(hours=3)
    result = mentions_ingest([item(1, published_at=published.isoformat())])
    return Mention.objects.get(pk=result.created_ids[0])


@pytest.fixture
def writer(api_client, make_user):
    client = api_client("mentions:write")
    client.api_key.created_by = make_user(email="owner@rapport.example", name="Kim Owner")
    client.api_key.save()
    return client


def post(client, mention_id, body):
    return client.post(f"/api/v1/mentions/{mention_id}/response", body, format="json")


def test_the_first_response_is_recorded_and_answered_201(writer, mention, make_user):
    agent = make_user(email="agent@rapport.example")
    at = mention.published_at + timedelta(minutes=42)
    response = post(
        writer,
        mention.pk,
        {"responded_at": at.isoformat(), "by": "Agent@Rapport.example", "url": "https://x.example/r/1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert parse_datetime(body.pop("responded_at")) == at
    assert body == {
        "mention": mention.pk,
        "by": "agent@rapport.example",
        "url": "https://x.example/r/1",
        "status": "responded",
    }
    mention.refresh_from_db()
    assert (mention.first_response_at, mention.first_response_by, mention.status) == (at, agent, "responded")
    assert mention.actions.filter(kind=MentionAction.Kind.RESPONDED, actor=agent).count() == 1


def test_a_repeat_answers_200_with_the_stored_response(writer, mention):
    first = post(writer, mention.pk, {"responded_at": (mention.published_at + timedelta(minutes=5)).isoformat()})
    again = post(
        writer,
        mention.pk,
        {"responded_at": (mention.published_at + timedelta(minutes=90)).isoformat(), "url": "https://x.example/2"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert mention.actions.filter(kind=MentionAction.Kind.RESPONDED).count() == 1


def test_without_by_the_key_s_owner_answered(writer, mention):
    response = post(writer, mention.pk, {"responded_at": timezone.now().isoformat()})
    assert response.status_code == 201
    assert response.json()["by"] == "owner@rapport.example"


def test_an_offset_other_than_utc_is_the_same_moment(writer, mention):
    at = (mention.published_at + timedelta(minutes=30)).astimezone(timezone.get_fixed_timezone(-300))
    assert post(writer, mention.pk, {"responded_at": at.isoformat()}).status_code == 201
    mention.refresh_from_db()
    assert mention.first_response_at == at


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"responded_at": "2026-05-04T10:30:00"}, "responded_at"),  # naive
        ({"responded_at": "2026-13-04T10:30:00+02:00"}, "responded_at"),
        ({"responded_at": "soon"}, "responded_at"),
        ({"responded_at": "0001-01-01T00:00:00+14:00"}, "responded_at"),
        ({}, "responded_at"),
        ({"responded_at": "NOW", "by": "nobody@rapport.example"}, "by"),
        ({"responded_at": "NOW", "by": "not an email"}, "by"),
        ({"responded_at": "NOW", "url": "javascript:alert(1)"}, "url"),
        ({"responded_at": "NOW", "url": "not a link"}, "url"),
        ({"responded_at": "BEFORE"}, "responded_at"),  # before the mention was published
        ({"responded_at": "FUTURE"}, "responded_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(writer, mention, assert_api_error, body, field):
    moments = {
        "NOW": timezone.now(),
        "BEFORE": mention.published_at - timedelta(minutes=1),
        "FUTURE": timezone.now() + timedelta(hours=2),
    }
    if body.get("responded_at") in moments:
        body = {**body, "responded_at": moments[body["responded_at"]].isoformat()}
    error = assert_api_error(post(writer, mention.pk, body), 400, "invalid")
    assert field in error["details"], error
    mention.refresh_from_db()
    assert (mention.first_response_at, mention.status) == (None, "new")
    assert not mention.actions.exists()


def test_an_unknown_mention_is_404(writer, assert_api_error):
    assert_api_error(post(writer, 999999, {"responded_at": timezone.now().isoformat()}), 404, "not_found")


def test_it_needs_the_write_scope(api_client, mention, assert_api_error):
    response = post(api_client("mentions:read"), mention.pk, {"responded_at": timezone.now().isoformat()})
    assert_api_error(response, 403, "permission_denied")
    mention.refresh_from_db()
    assert mention.first_response_at is None


def test_a_response_reported_after_the_target_is_late(writer, mention):
    """The due time stays what the channel's target made it; a late report is late, not on time."""
    post(writer, mention.pk, {"responded_at": (mention.published_at + timedelta(minutes=61)).isoformat()})
    mention.refresh_from_db()
    assert mention.first_response_at > mention.response_due_at


def test_an_id_beyond_any_integer_is_404(writer, assert_api_error):
    response = post(writer, "99999999999999999999999", {"responded_at": timezone.now().isoformat()})
    assert_api_error(response, 404, "not_found")
