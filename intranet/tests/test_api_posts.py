"""`GET /api/v1/posts`: keys with intranet:read and signed-in employees read posts as text and author name only."""

import pytest
from rest_framework.test import APIClient

from intranet.post_services import content_hide, group_create, group_join
from intranet.tests.post_factories import make_post, moderator, person

pytestmark = pytest.mark.django_db
URL = "/api/v1/posts"


@pytest.fixture
def ines():
    return person("ines.author", "Ines Author")


def test_a_key_with_intranet_read_gets_text_and_names_only_newest_first(api_client, ines):
    colm = person("colm.reader", "Colm Reader")
    group, _ = group_create(name="Lab", by=ines)
    group_join(group=group, user=colm)
    older = make_post(ines, text="Thanks @colm.reader for the **cans**")
    newer = make_post(colm, text="In the lab", group=group)
    response = api_client("intranet:read").get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [newer.pk, older.pk]
    assert set(results[0]) == {"id", "text", "author", "group", "created_at", "edited_at"}
    assert results[0]["author"] == "Colm Reader"
    assert results[0]["group"] == "Lab"
    assert results[1]["text"] == "Thanks @Colm Reader for the **cans**"
    assert results[1]["group"] is None
    body = response.content.decode()
    assert "carlssoda.example" not in body
    assert "colm.reader" not in body
    assert f'"{ines.pk}"' not in body
    assert "author_id" not in body


def test_hidden_posts_are_never_listed(api_client, ines):
    shown = make_post(ines, text="Shown")
    hidden = make_post(ines, text="Hidden")
    content_hide(item=hidden, by=moderator(), reason="No")
    ids = [r["id"] for r in api_client("intranet:read").get(URL).json()["results"]]
    assert ids == [shown.pk]


def test_pages_follow_a_cursor(api_client, ines):
    posts = [make_post(ines, text=f"Post {n}") for n in range(7)]
    client = api_client("intranet:read")
    seen, url = [], f"{URL}?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert seen == [p.pk for p in reversed(posts)]


def test_a_key_without_the_scope_gets_403(api_client, assert_api_error):
    assert_api_error(api_client("mentions:read").get(URL), 403, "permission_denied")


def test_no_key_gets_401(assert_api_error, db):
    assert_api_error(APIClient().get(URL), 401, "not_authenticated")


def test_a_signed_in_employee_may_read(ines):
    make_post(ines)
    client = APIClient()
    client.force_login(ines)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("handle", ["amy.ambassador", "erin.exec", "cole.council"])
def test_ambassadors_and_executives_who_are_not_employees_get_403(login, handle, assert_api_error):
    client = APIClient()
    login(client, handle)
    assert_api_error(client.get(URL), 403, "permission_denied")


def test_writes_are_not_allowed(api_client):
    assert api_client("intranet:read").post(URL, {"text": "x"}).status_code in (403, 405)


def test_the_list_costs_a_fixed_number_of_queries(api_client, ines, django_assert_max_num_queries):
    for n in range(30):
        make_post(ines, text=f"Post {n} @ines.author")
    client = api_client("intranet:read")
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


def test_the_operation_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/posts"]["get"]
    assert operation["operationId"] == "posts_list"
