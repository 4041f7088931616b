import json

import pytest

from insights.models import Mention
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db
BULK = "/api/v1/mentions/bulk"


@pytest.fixture
def writer(api_client):
    client = api_client("mentions:write")
    TermFactory()

    def post(body, raw=False):
        data = body if raw else json.dumps(body)
        return client.post(BULK, data, content_type="application/json")

    return post


def test_it_stores_good_items_and_reports_bad_ones(writer):
    response = writer([item(1), item(2, channel="nowhere"), item(3)])
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"], body["rejected"]) == (2, 0, 1)
    assert body["errors"][0]["index"] == 1
    assert "channel" in body["errors"][0]["errors"]
    assert Mention.objects.count() == 2


def test_a_post_held_twice_in_one_batch_is_a_duplicate_not_an_error(writer):
    body = writer([item(1), item(1), item(2)]).json()
    assert body == {"created": 2, "duplicates": 1, "rejected": 0, "errors": []}


def test_a_retried_request_creates_nothing_new(writer):
    writer([item(1), item(2)])
    body = writer([item(1), item(2)]).json()
    assert body == {"created": 0, "duplicates": 2, "rejected": 0, "errors": []}


def test_malformed_json_is_a_clear_400(writer, assert_api_error):
    response = writer('[{"source": "x",', raw=True)
    assert_api_error(response, 400, "parse_error")
    assert Mention.objects.count() == 0


def test_an_object_instead_of_an_array_is_refused(writer, assert_api_error):
    response = writer(item(1))
    error = assert_api_error(response, 400, "invalid")
    assert error["details"] == {"non_field_errors": ["Send a JSON array of mentions."]}


def test_a_batch_over_the_limit_is_refused_whole(writer, settings):
    settings.INSIGHTS_BULK_MAX_ITEMS = 3
    response = writer([item(n) for n in range(4)])
    assert response.status_code == 400
    assert "At most 3 items per request (got 4)" in str(response.json())
    assert Mention.objects.count() == 0


def test_a_key_without_the_write_scope_is_refused(api_client, assert_api_error):
    response = api_client("mentions:read").post(BULK, "[]", content_type="application/json")
    error = assert_api_error(response, 403, "permission_denied")
    assert error["message"] == "This API key lacks the scope mentions:write."


def test_no_credentials_is_401(client):
    assert client.post(BULK, "[]", content_type="application/json").status_code == 401


def test_insights_staff_may_send_a_batch_from_the_browser(client, login):
    login(client, "ana.insights")
    response = client.post(BULK, json.dumps([item(1)]), content_type="application/json")
    assert response.json()["created"] == 1


def test_an_employee_may_not(client, login):
    login(client, "eli.employee")
    assert client.post(BULK, json.dumps([item(1)]), content_type="application/json").status_code == 403
    assert Mention.objects.count() == 0


def test_a_nul_character_is_refused_per_item_and_the_rest_are_stored(writer):
    bad_author = item(3, author={"handle": "@fizz\x00fan", "name": "Robin Hart", "reach": 1})
    response = writer([item(1), item(2, text="Cherry\x00 soda"), bad_author])
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 2)
    assert "NUL" in body["errors"][0]["errors"]["text"][0]
    assert "author.handle" in body["errors"][1]["errors"]


def test_a_lone_surrogate_is_refused_per_item_and_the_rest_are_stored(writer):
    # json.dumps writes "\ud800" as the escape a hostile or broken client sends
    response = writer([item(1), item(2, text="x\ud800y carl's soda"), item(3, source="tool\udfff")])
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 2)
    assert "lone surrogate" in body["errors"][0]["errors"]["text"][0]
    assert "source" in body["errors"][1]["errors"]
    assert Mention.objects.get().external_id == "post-1"


def test_a_batch_of_long_texts_beyond_djangos_usual_body_limit_is_stored(writer, settings):
    batch = [item(n, text="carl's soda " + "fizz " * 1996) for n in range(270)]  # 2.7 MB of JSON
    body = json.dumps(batch)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = writer(body, raw=True)
    assert response.status_code == 200, response.content[:200]
    assert response.json()["created"] == 270


def test_a_body_over_the_bulk_limit_is_a_json_413(writer, settings, assert_api_error):
    settings.INSIGHTS_BULK_MAX_BYTES = 1000
    response = writer([item(n) for n in range(10)])
    assert_api_error(response, 413, "payload_too_large")
    assert Mention.objects.count() == 0


def test_deeply_nested_json_is_a_parse_error(writer, assert_api_error):
    assert_api_error(writer("[" * 1000, raw=True), 400, "parse_error")
