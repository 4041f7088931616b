"""GET/POST /api/v1/ideas and POST/DELETE /api/v1/ideas/{id}/vote: session auth, never API keys."""

import pytest
from rest_framework.test import APIClient

from accounts.scopes import SCOPES
from intranet.models import Idea
from intranet.tests.factories import employee, make_idea

pytestmark = pytest.mark.django_db

LIST = "/api/v1/ideas"


@pytest.fixture
def eli(login):
    client = APIClient()
    client.user = login(client, "eli.employee")
    return client


def test_an_employee_submits_an_idea_and_a_retry_creates_nothing(eli):
    body = {"title": "Bike racks by the bottling plant", "description": "Twenty, covered.", "category": "workplace"}
    first = eli.post(LIST, body, format="json")
    assert first.status_code == 201
    data = first.json()
    assert data["title"] == body["title"]
    assert data["status"] == "new"
    assert data["vote_count"] == 0
    assert data["author"] == "Eli Novak"
    assert data["merged_into"] is None
    assert eli.post(LIST, body, format="json").status_code == 200
    assert Idea.objects.get().author == eli.user


def test_the_list_is_paginated_and_sorted(eli):
    make_idea(title="Old one")
    top = make_idea(title="Voted one")
    Idea.objects.filter(pk=top.pk).update(vote_count=5)
    data = eli.get(LIST, {"sort": "top", "page_size": 1}).json()
    assert data["count"] == 2
    assert [i["title"] for i in data["results"]] == ["Voted one"]
    assert data["next"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "description": "x"}, "title"),
        ({"title": "t" * 201, "description": "x"}, "title"),
        ({"title": "T", "description": "x", "category": "snacks"}, "category"),
        ({"title": "T"}, "description"),
    ],
)
def test_invalid_ideas_answer_400(eli, assert_api_error, body, field):
    error = assert_api_error(eli.post(LIST, body, format="json"), 400, "invalid")
    assert field in error["details"]
    assert not Idea.objects.exists()


def test_a_bad_sort_answers_400(eli, assert_api_error):
    assert_api_error(eli.get(LIST, {"sort": "random"}), 400, "invalid")


def test_vote_201_then_200_and_delete_204_idempotent(eli, assert_api_error):
    idea = make_idea()
    url = f"/api/v1/ideas/{idea.pk}/vote"
    first = eli.post(url)
    assert first.status_code == 201
    assert first.json() == {"idea": idea.pk, "voted": True, "vote_count": 1}
    assert eli.post(url).status_code == 200
    assert eli.delete(url).status_code == 204
    assert eli.delete(url).status_code == 204
    idea.refresh_from_db()
    assert idea.vote_count == 0
    assert_api_error(eli.post("/api/v1/ideas/999999/vote"), 404, "not_found")


def test_a_vote_on_a_merged_idea_answers_409(eli, assert_api_error):
    target = make_idea(title="Target")
    merged = make_idea(title="Merged")
    Idea.objects.filter(pk=merged.pk).update(merged_into=target)
    assert_api_error(eli.post(f"/api/v1/ideas/{merged.pk}/vote"), 409, "idea_merged")


def test_api_keys_and_non_employees_never_see_ideas(api_client, make_user, assert_api_error):
    idea = make_idea()
    key = api_client(list(SCOPES))  # every scope there is (intranet:read included, once it exists)
    assert_api_error(key.get(LIST), 403, "permission_denied")
    assert_api_error(key.post(f"/api/v1/ideas/{idea.pk}/vote"), 403, "permission_denied")
    outsider = APIClient()
    outsider.force_login(make_user("ana.insights"))
    assert_api_error(outsider.get(LIST), 403, "permission_denied")
    assert_api_error(APIClient().get(LIST), 401, "not_authenticated")
    assert employee()  # employees are the only ones in
