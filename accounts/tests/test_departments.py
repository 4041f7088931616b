"""Departments: who may belong, the lead among the members, and the reads that pages and the API share."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Department, DepartmentMembership
from accounts.roles import Role
from accounts.selectors import department_list, departments_of
from accounts.services import department_create, department_lead_set, department_member_add, department_member_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketing():
    return Department.objects.get(slug="marketing")


def test_the_four_departments_come_with_the_database():
    assert dict(Department.objects.values_list("slug", "name")) == {
        "marketing": "Marketing",
        "pr": "PR",
        "customer-service": "Customer service",
        "product-design": "Product development and design",
    }


def test_create_with_members_and_a_lead(make_user):
    nora = make_user(email="nora.marketing@carlssoda.example", roles=[Role.EMPLOYEE])
    ana = make_user("ana.insights")
    events = department_create(slug="events", name="Events", members=[nora, ana], lead=nora)
    events.refresh_from_db()
    assert events.lead == nora
    assert set(events.members.all()) == {nora, ana}


def test_create_refuses_a_slug_taken_already():
    with pytest.raises(ValidationError) as caught:
        department_create(slug="marketing", name="Marketing again")
    assert "slug" in caught.value.message_dict


def test_employees_and_insights_staff_may_be_members(make_user, marketing):
    for handle in ("eli.employee", "ana.insights"):
        department_member_add(department=marketing, user=make_user(handle))
    assert marketing.members.count() == 2


@pytest.mark.parametrize("handle", ["amy.ambassador", "cole.council", "erin.exec"])
def test_others_may_not_be_members(make_user, marketing, handle):
    with pytest.raises(ValidationError) as caught:
        department_member_add(department=marketing, user=make_user(handle))
    assert "not an employee or insights staff" in caught.value.message_dict["user"][0]
    assert not marketing.members.exists()


def test_adding_a_member_twice_keeps_one_membership(make_user, marketing):
    eli = make_user("eli.employee")
    first = department_member_add(department=marketing, user=eli)
    assert department_member_add(department=marketing, user=eli) == first
    assert DepartmentMembership.objects.filter(department=marketing).count() == 1


def test_the_lead_must_be_a_member(make_user, marketing):
    eli = make_user("eli.employee")
    with pytest.raises(ValidationError) as caught:
        department_lead_set(department=marketing, lead=eli)
    assert "not a member of Marketing" in caught.value.message_dict["lead"][0]
    marketing.refresh_from_db()
    assert marketing.lead is None


def test_a_lead_who_leaves_stops_being_the_lead(make_user, marketing):
    eli = make_user("eli.employee")
    department_member_add(department=marketing, user=eli)
    department_lead_set(department=marketing, lead=eli)
    department_member_remove(department=marketing, user=eli)
    department_member_remove(department=marketing, user=eli)  # again: nothing to do, no error
    marketing.refresh_from_db()
    assert marketing.lead is None
    assert not marketing.members.exists()


def test_the_lead_can_be_cleared(make_user, marketing):
    eli = make_user("eli.employee")
    department_member_add(department=marketing, user=eli)
    department_lead_set(department=marketing, lead=eli)
    department_lead_set(department=marketing, lead=None)
    marketing.refresh_from_db()
    assert marketing.lead is None
    assert list(marketing.members.all()) == [eli]


def test_departments_of_a_user_are_theirs_alone(make_user, marketing):
    eli = make_user("eli.employee")
    department_member_add(department=marketing, user=eli)
    department_member_add(department=Department.objects.get(slug="pr"), user=make_user("ana.insights"))
    assert [department.slug for department in departments_of(user=eli)] == ["marketing"]


def test_the_list_costs_two_queries_however_many_members(make_user, django_assert_num_queries):
    for i, department in enumerate(Department.objects.all()):
        people = [make_user(email=f"member{i}-{n}@carlssoda.example", roles=[Role.EMPLOYEE]) for n in range(3)]
        for person in people:
            department_member_add(department=department, user=person)
        department_lead_set(department=department, lead=people[0])
    with django_assert_num_queries(2):
        listed = [(d.name, d.lead.email, [m.email for m in d.members.all()]) for d in department_list()]
    assert len(listed) == 4
    assert all(len(members) == 3 and members == sorted(members) for _, _, members in listed)
