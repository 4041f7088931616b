"""An employee opens their department's page on a laptop and on a phone: everything fits the width."""

import pytest

from accounts.models import Department
from accounts.roles import Role
from accounts.services import department_lead_set, department_member_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_a_member_opens_their_department_without_sideways_scroll(
    page, sign_in, make_user, screenshot, departments, width, height
):
    service = Department.objects.get(slug="customer-service")
    eli = make_user("eli.employee")
    sam = make_user(email="sam.service@carlssoda.example", name="Sam Okafor", roles=[Role.EMPLOYEE])
    for person in (sam, eli):
        department_member_add(department=service, user=person)
    department_lead_set(department=service, lead=sam)

    page.set_viewport_size({"width": width, "height": height})
    sign_in(eli)
    page.goto("/departments/")
    page.get_by_role("link", name="Customer service").click()
    page.get_by_role("heading", name="Customer service", level=1).wait_for()
    assert page.get_by_text("Lead: Sam Okafor").is_visible()
    assert page.locator("#main").get_by_text("eli.employee@carlssoda.example").is_visible()
    assert page.get_by_role("heading", name="Findings").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"{width}px")
