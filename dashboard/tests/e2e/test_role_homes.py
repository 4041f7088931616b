"""Each demo role signs in through the real login form and lands on its own home."""

import pytest

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = [
    ("ana.insights", "/staff/", "Staff dashboard"),
    ("eli.employee", "/intranet/", "Welcome, Eli"),
    ("amy.ambassador", "/ambassador/", "Hello, Amy"),
    ("cole.council", "/councils/", "Advisory councils"),
    ("erin.exec", "/reports/", "Quarterly reports"),
    ("ada.admin", "/admin/", "Site administration"),
]


@pytest.mark.parametrize(("handle", "path", "heading"), HOMES, ids=[h for h, _, _ in HOMES])
def test_each_role_signs_in_and_sees_its_home(page, sign_in, make_user, screenshot, handle, path, heading):
    user = make_user(handle)
    page.goto("/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    screenshot(page, "login")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{path}")
    assert page.get_by_role("heading", name=heading).first.is_visible()
    screenshot(page, "home")


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(page, sign_in, make_user, screenshot):
    user = make_user("eli.employee")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_text("The email address and/or password you specified are not correct.").is_visible()
    assert "/accounts/login/" in page.url
    screenshot(page, "error")


def test_the_phone_layout_collapses_the_navigation(page, sign_in, make_user, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    user = make_user("ana.insights")
    sign_in(user)
    page.wait_for_url("**/staff/")
    assert not page.get_by_role("link", name="API keys").is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="API keys").wait_for(state="visible")
    screenshot(page, "phone-menu")
