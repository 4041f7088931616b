"""Admins add departments and edit members in the Django admin, under the services' rules."""

import pytest
from django.urls import reverse

from accounts.models import Department
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _form(name, slug, lead, members):
    data = {
        "name": name,
        "slug": slug,
        "lead": lead.pk if lead else "",
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, member in enumerate(members):
        data[f"memberships-{n}-user"] = member.pk
    return data


@pytest.fixture
def admin_client(client, login):
    login(client, "ada.admin")
    return client


def test_an_admin_adds_a_department_with_members_and_a_lead(admin_client, make_user):
    eli, ana = make_user("eli.employee"), make_user("ana.insights")
    response = admin_client.post(reverse("admin:accounts_department_add"), _form("Events", "events", eli, [eli, ana]))
    assert response.status_code == 302, response.content.decode()[:2000]
    events = Department.objects.get(slug="events")
    assert events.lead == eli
    assert set(events.members.all()) == {eli, ana}


def test_the_lead_must_be_among_the_members(admin_client, make_user):
    eli, ana = make_user("eli.employee"), make_user("ana.insights")
    response = admin_client.post(reverse("admin:accounts_department_add"), _form("Events", "events", eli, [ana]))
    assert response.status_code == 200
    assert "must be one of the members" in response.content.decode()
    assert not Department.objects.filter(slug="events").exists()


def test_an_ambassador_cannot_be_a_member(admin_client, make_user):
    amy = make_user("amy.ambassador")
    response = admin_client.post(reverse("admin:accounts_department_add"), _form("Events", "events", None, [amy]))
    assert response.status_code == 200
    assert "not an employee or insights staff" in response.content.decode()
    assert not Department.objects.filter(slug="events").exists()


def test_the_list_counts_members_once_when_searching_by_member(admin_client, make_user):
    marketing = Department.objects.get(slug="marketing")
    for n in range(3):
        marketing.memberships.create(user=make_user(email=f"carl{n}@carlssoda.example", roles=[Role.EMPLOYEE]))
    html = admin_client.get(reverse("admin:accounts_department_changelist"), {"q": "carl"}).content.decode()
    assert '<td class="field-member_count">3</td>' in html
