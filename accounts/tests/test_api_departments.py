"""GET /api/v1/departments: the departments with their lead and members, for findings:read."""

import pytest

from accounts.models import Department
from accounts.roles import Role
from accounts.services import department_lead_set, department_member_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(make_user):
    pr = Department.objects.get(slug="pr")
    priya = make_user(email="priya.pr@carlssoda.example", roles=[Role.EMPLOYEE])
    jonas = make_user(email="jonas.pr@carlssoda.example", roles=[Role.EMPLOYEE])
    for person in (priya, jonas):
        department_member_add(department=pr, user=person)
    department_lead_set(department=pr, lead=priya)
    return pr


def test_it_lists_departments_with_lead_and_sorted_members(api_client, staffed):
    response = api_client("findings:read").get("/api/v1/departments")
    assert response.status_code == 200
    assert response.json() == [
        {"slug": "customer-service", "name": "Customer service", "lead": None, "members": []},
        {"slug": "marketing", "name": "Marketing", "lead": None, "members": []},
        {
            "slug": "pr",
            "name": "PR",
            "lead": "priya.pr@carlssoda.example",
            "members": [
                "jonas.pr@carlssoda.example",
                "priya.pr@carlssoda.example",
            ],
        },
        {"slug": "product-design", "name": "Product development and design", "lead": None, "members": []},
    ]


def test_it_refuses_a_key_without_findings_read(api_client, assert_api_error, staffed):
    error = assert_api_error(
        api_client("mentions:read", "findings:write").get("/api/v1/departments"), 403, "permission_denied"
    )
    assert "findings:read" in error["message"]


def test_it_refuses_without_a_key(client, assert_api_error):
    assert_api_error(client.get("/api/v1/departments"), 401, "not_authenticated")


def test_insights_staff_may_call_it_from_the_browser(client, login):
    login(client, "ana.insights")
    assert len(client.get("/api/v1/departments").json()) == 4


def test_its_cost_does_not_grow_with_members(api_client, staffed, make_user, django_assert_max_num_queries):
    for n in range(10):
        department_member_add(
            department=staffed, user=make_user(email=f"pr{n}@carlssoda.example", roles=[Role.EMPLOYEE])
        )
    client = api_client("findings:read")
    with django_assert_max_num_queries(4):  # the key, its last use, departments, members
        assert len(client.get("/api/v1/departments").json()) == 4


def test_the_schema_documents_it(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/departments"]["get"]
    assert operation["operationId"] == "departments_list"
    items = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    properties = schema["components"]["schemas"][items.rsplit("/", 1)[1]]["properties"]
    assert set(properties) == {"slug", "name", "lead", "members"}
    assert properties["lead"]["nullable"] is True
