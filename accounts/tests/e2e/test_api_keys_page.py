"""Insights staff create an API key in the browser, copy it once, and revoke it."""

import pytest

from accounts.models import ApiKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_see_once_and_revoke_a_key(page, sign_in, make_user, screenshot, live_server):
    ana = make_user("ana.insights")
    sign_in(ana)
    page.get_by_role("link", name="API keys").click()

    page.get_by_label("Name", exact=True).fill("Review site sync")
    page.get_by_label("mentions:write — Send mentions in bulk").check()
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_label("New API key").input_value()
    assert "." in key
    screenshot(page, "created")

    # The key works for the API, from outside the browser session.
    response = page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Api-Key {key}"})
    assert response.json()["name"] == "Review site sync"

    page.reload()  # may send the form again: it creates no second key and shows none
    assert key not in page.content()  # shown once only
    assert ApiKey.objects.filter(name="Review site sync").count() == 1
    page.get_by_role("button", name="Revoke Review site sync").click()
    assert page.get_by_text("is revoked").is_visible()
    screenshot(page, "revoked")
    response = page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Api-Key {key}"})
    assert response.status == 401
