"""The demo gives each department a lead and a few members, from invented people, once."""

import pytest

from accounts.demo import DEMO_DEPARTMENT_PEOPLE
from accounts.models import Department, DepartmentMembership, User
from accounts.services import demo_departments_seed

pytestmark = pytest.mark.django_db


def test_each_department_gets_a_lead_among_two_to_four_members():
    counts = demo_departments_seed()
    assert counts["department_people"] == len(DEMO_DEPARTMENT_PEOPLE) + 1  # and Eli, of the named people
    for department in Department.objects.all():
        members = set(department.members.all())
        assert 2 <= len(members) <= 4, department
        assert department.lead in members
    invented = User.objects.filter(email__in=[person.email for person in DEMO_DEPARTMENT_PEOPLE])
    assert all(user.email.endswith("@carlssoda.example") for user in invented)


def test_seeding_again_changes_nothing():
    demo_departments_seed()
    before = (
        list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        list(DepartmentMembership.objects.order_by("pk").values_list("pk", "department_id", "user_id")),
        list(Department.objects.order_by("pk").values_list("pk", "lead_id")),
    )
    assert demo_departments_seed() == {"department_people": 0, "department_members": 0}
    after = (
        list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        list(DepartmentMembership.objects.order_by("pk").values_list("pk", "department_id", "user_id")),
        list(Department.objects.order_by("pk").values_list("pk", "lead_id")),
    )
    assert before == after
