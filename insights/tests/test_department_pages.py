"""The department pages: members and insights staff see a department; anyone else gets 404."""

import pytest

from accounts.models import Department
from accounts.roles import Role
from accounts.services import department_lead_set, department_member_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketing(make_user):
    """Marketing, led by Nora, with Eli among its members."""
    department = Department.objects.get(slug="marketing")
    nora = make_user(email="nora.marketing@carlssoda.example", name="Nora Ahlberg", roles=[Role.EMPLOYEE])
    for person in (nora, make_user("eli.employee")):
        department_member_add(department=department, user=person)
    department_lead_set(department=department, lead=nora)
    return department


def test_a_member_sees_the_name_lead_and_members(client, login, marketing):
    login(client, "eli.employee")
    response = client.get("/departments/marketing/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="h3">Marketing</h1>' in html
    assert "Lead: <strong>Nora Ahlberg</strong>" in html
    assert "nora.marketing@carlssoda.example" in html
    assert "eli.employee@carlssoda.example" in html


def test_routed_mentions_and_findings_are_an_honest_empty_state(client, login, marketing):
    login(client, "eli.employee")
    html = client.get("/departments/marketing/").content.decode()
    assert "Routed mentions" in html
    assert "Nothing has been routed to Marketing yet." in html
    assert "No findings for Marketing yet." in html


def test_a_member_of_another_department_gets_404(client, make_user, marketing):
    """IDOR: a slug of a department one does not belong to answers as one that does not exist."""
    jonas = make_user(email="jonas.pr@carlssoda.example", roles=[Role.EMPLOYEE])
    department_member_add(department=Department.objects.get(slug="pr"), user=jonas)
    client.force_login(jonas)
    assert client.get("/departments/pr/").status_code == 200
    refused = client.get("/departments/marketing/")
    assert refused.status_code == 404
    assert "Nora" not in refused.content.decode()
    assert client.get("/departments/no-such-department/").status_code == 404


def test_insights_staff_see_every_department(client, login, marketing):
    login(client, "ana.insights")
    assert client.get("/departments/marketing/").status_code == 200
    html = client.get("/departments/").content.decode()
    for name in ("Marketing", "PR", "Customer service", "Product development and design"):
        assert f">{name}</a>" in html


def test_the_list_shows_an_employee_their_departments_only(client, login, marketing):
    login(client, "eli.employee")
    html = client.get("/departments/").content.decode()
    assert ">Marketing</a>" in html
    assert ">PR</a>" not in html


def test_an_employee_in_no_department_is_told_so(client, login):
    login(client, "eli.employee")
    assert "You belong to no department yet." in client.get("/departments/").content.decode()


@pytest.mark.parametrize("members", [2, 12])
def test_the_page_costs_the_same_queries_however_many_members(
    client, login, make_user, marketing, members, django_assert_max_num_queries
):
    for n in range(members):
        person = make_user(email=f"colleague{n}@carlssoda.example", roles=[Role.EMPLOYEE])
        department_member_add(department=marketing, user=person)
    login(client, "eli.employee")
    client.get("/departments/marketing/")  # roles cached, as on any later page
    with django_assert_max_num_queries(7):  # with the routed mentions' count and page
        assert client.get("/departments/marketing/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/departments/").status_code == 200
