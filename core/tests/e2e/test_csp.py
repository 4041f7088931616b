"""Every page works in Chromium under the strict Content-Security-Policy: nothing refused, charts drawn,
Swagger UI rendered, htmx at work. (conftest's `page` fails a test on any violation.)"""

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.roles import Role
from accounts.tests.matrix import ANON
from core.services import heartbeat_record
from dashboard.tests.test_permission_matrix import ROWS
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_HTML = ("api:", "api-schema", "healthz")


def _pages_for(role: str) -> list[str]:
    urls = [
        reverse(name, kwargs=kwargs)
        for name, (kwargs, expected) in ROWS
        if expected[role] == 200 and not name.startswith(NOT_HTML)
    ]
    return [url for url in urls if not url.endswith((".csv", ".pdf", ".ics"))]  # downloads, not pages


def test_a_refused_inline_script_or_style_is_caught(page, csp_violations):
    page.goto("/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("const s = document.createElement('script'); s.textContent = '1'; document.body.append(s)")
    page.wait_for_timeout(200)  # the reports arrive from the browser asynchronously
    assert any("style-src" in v for v in csp_violations), csp_violations
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here: the fixture fails every other test that has any


def test_every_page_for_visitors_runs_without_a_violation(page, make_user):
    for url in _pages_for(ANON):
        response = page.goto(url)
        assert response.ok, url


def test_every_page_for_an_admin_runs_without_a_violation(page, sign_in, make_user, departments):
    heartbeat_record()
    admin = make_user("ada.admin")
    sign_in(admin, DEMO_PASSWORD)
    pages = _pages_for(Role.ADMIN)
    assert "/admin/" in pages
    assert "/staff/" in pages
    for url in pages:
        response = page.goto(url)
        assert response.ok, url
        page.wait_for_load_state("load")


def test_the_staff_dashboard_draws_its_chart(page, sign_in, make_user, channels, screenshot):
    TermFactory()
    mentions_ingest([item(1, text="carl's soda is great"), item(2, text="carl's soda is awful")])
    rollups_refresh()
    sign_in(make_user("ana.insights"))
    page.goto("/staff/")
    page.locator("#main canvas").first.wait_for(state="visible")
    screenshot(page, "chart")


def test_the_referral_report_draws_its_charts(page, sign_in, make_user, screenshot):
    sign_in(make_user("ana.insights"))
    page.goto(reverse("advocacy:referral_report"))
    page.locator("#main canvas").nth(1).wait_for(state="visible")
    screenshot(page, "charts")


def test_swagger_ui_renders_the_api(page, screenshot):
    page.goto("/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for(state="visible")
    page.locator(".swagger-ui .opblock-summary").first.click()  # an operation, its examples highlighted
    page.get_by_role("button", name="Try it out").wait_for(state="visible")
    screenshot(page, "swagger")


def test_the_admin_change_form_runs_its_scripts(page, sign_in, make_user, screenshot):
    admin = make_user("ada.admin")
    sign_in(admin)
    page.goto(f"/admin/accounts/user/{admin.pk}/change/")
    page.get_by_role("button", name="Save").first.wait_for(state="visible")
    screenshot(page, "admin-change")


def test_progress_bars_take_their_width_from_data_on_load_and_on_every_swap(page, sign_in, make_user):
    sign_in(make_user("ana.insights"))
    page.goto(reverse("advocacy:program"))
    seats = page.get_by_role("progressbar", name="Seats used").locator(".progress-bar")
    assert seats.evaluate("bar => bar.style.width") == seats.get_attribute("data-width") + "%"
    # What the import page's polling does: swap in a new bar, which must be right at once, before htmx settles.
    share = page.evaluate(
        """() => {
          htmx.swap("#main", '<div class="progress"><div class="progress-bar" data-width="40"></div></div>',
                    {swapStyle: "innerHTML"});
          const bar = document.querySelector("#main .progress-bar");
          return bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width;
        }"""
    )
    assert share == pytest.approx(0.4, abs=0.01)
