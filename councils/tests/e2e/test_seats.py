"""The seats in the browser: a manager seats both councils from the demo data (nominate; the nominee opens
the emailed link and accepts); an ambassador leaves the program on their own page and the seats that
depended on them fall vacant, with the people who could fill them shown. Both widths, no sideways scroll."""

import re

import pytest
from django.core import mail

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from accounts.services import demo_departments_seed, user_create
from advocacy.demo import demo_program_seed
from councils.models import Council, SeatKind, Term
from councils.services.seats import councils_ensure
from dashboard.services import demo_seed
from intranet.demo import demo_people_seed

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _demo_people() -> None:
    """The demo's people and program, with no council seated yet."""
    for demo in DEMO_USERS:
        user_create(email=demo.email, password=DEMO_PASSWORD, name=demo.name, roles=demo.roles, email_verified=True)
    demo_departments_seed()
    demo_people_seed()
    demo_program_seed()
    councils_ensure()


def _user(handle: str) -> User:
    return User.objects.get(email__startswith=f"{handle}@")


def _no_sideways_scroll(pg) -> None:
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def _nominate(page, council: str, kind_label: str, person: str, note: str) -> str:
    """As the signed-in manager: nominate `person` for a vacancy; returns the path of the emailed link."""
    page.goto(f"/councils/{council}/")
    vacancy = page.locator(".council-vacancy", has=page.get_by_label(f"Nominate a {kind_label}"))
    vacancy.get_by_label(f"Nominate a {kind_label}").select_option(label=person)
    vacancy.get_by_label("Note to the nominee").fill(note)
    vacancy.get_by_role("button", name="Nominate").click()
    page.get_by_text(f"{person} is nominated").wait_for()
    email = mail.outbox[-1]
    assert note in email.body
    return re.search(r"https?://[^/\s]+(/councils/nominations/[^/\s]+/)\n", email.body).group(1)


def _accept(browser, live_server, user: User, path: str, screenshot, step: str) -> None:
    """The nominee opens the emailed link: signs in, lands on the nomination, accepts."""
    pg = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    pg.goto(path)
    pg.get_by_label("Email").fill(user.email)
    pg.get_by_label("Password").fill(DEMO_PASSWORD)
    pg.get_by_role("button", name="Sign In").click()
    pg.get_by_role("button", name="Accept the seat").wait_for()
    _no_sideways_scroll(pg)
    screenshot(pg, f"{step}-nomination-390")
    pg.get_by_role("button", name="Accept the seat").click()
    pg.get_by_text("Welcome to the").wait_for()
    pg.context.close()


def test_a_manager_seats_both_councils_and_the_nominees_accept_from_the_email(
    page, browser, live_server, sign_in, screenshot
):
    _demo_people()
    cole, priya = _user("cole.council"), _user("priya.pr")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(_user("ana.insights"))
    page.get_by_role("link", name="Councils").click()
    page.get_by_text("6 vacant seats").first.wait_for()
    screenshot(page, "index-empty-1366")

    path = _nominate(page, "brand", "brand advocate", cole.name, "Your cherry float reviews are the best we have.")
    _accept(browser, live_server, cole, path, screenshot, "brand")
    path = _nominate(page, "customer", "customer advocate", priya.name, "Bring the intranet's voice to customers.")
    _accept(browser, live_server, priya, path, screenshot, "customer-ca")
    # Now on the Brand council, Cole may take a brand-advocate seat on the Customer council too.
    path = _nominate(page, "customer", "brand advocate", cole.name, "And on the Customer council, please.")
    _accept(browser, live_server, cole, path, screenshot, "customer-ba")

    page.goto("/councils/customer/")
    seats = page.locator(".council-seats")
    seats.get_by_text(cole.name, exact=True).wait_for()
    seats.get_by_text(priya.name, exact=True).wait_for()
    page.locator(".council-history").get_by_text("Seated").first.wait_for()
    screenshot(page, "customer-1366")
    page.goto("/councils/")
    screenshot(page, "index-1366")
    assert Term.objects.filter(council__kind=Council.Kind.BRAND, vacated_at__isnull=True).count() == 1
    assert Term.objects.filter(council__kind=Council.Kind.CUSTOMER, vacated_at__isnull=True).count() == 2
    customer_brand = Term.objects.get(council__kind=Council.Kind.CUSTOMER, user=cole)
    assert customer_brand.depends_on.council.kind == Council.Kind.BRAND


def test_an_ambassador_leaves_the_program_and_their_seats_fall_vacant_with_candidates(
    page, phone, browser, live_server, sign_in, screenshot
):
    demo_seed(mentions=300)
    cole = _user("cole.council")
    assert Term.objects.filter(user=cole, vacated_at__isnull=True, seat__kind=SeatKind.BRAND_ADVOCATE).count() == 2

    # Cole leaves on the ambassador's own page (erasing their data takes them out of the program).
    sign_in(cole, on=phone)
    phone.goto("/ambassador/privacy/erase/")
    phone.get_by_label("Type your email address to confirm").fill(cole.email)
    phone.get_by_role("button", name="Erase my personal data").click()
    phone.wait_for_url(lambda url: "/privacy/erase/" in url)
    phone.get_by_text("erased", exact=False).first.wait_for()

    assert not Term.objects.filter(user=cole, vacated_at__isnull=True).exists()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(_user("ana.insights"))
    for council, candidates_are in (("brand", "active ambassadors"), ("customer", "Brand council's brand advocates")):
        page.goto(f"/councils/{council}/")
        page.locator(".council-seats").get_by_text("Vacant").first.wait_for()
        vacancy = page.locator(".council-vacancy[data-kind=brand_advocate]")
        vacancy.get_by_text(candidates_are).wait_for()
        assert vacancy.locator(".candidates li").count() >= 1
        assert "Nobody qualifies" not in vacancy.locator(".candidates").inner_text()
        history = page.locator(".council-history").inner_text()
        assert "Left the ambassador program" in history or "Brand Advisory Council seat was vacated" in history
        screenshot(page, f"{council}-vacant-1366")

    # The same page on a phone: the manager's view, no sideways scroll.
    sign_in(_user("ana.insights"), on=phone)
    for council in ("brand", "customer"):
        phone.goto(f"/councils/{council}/")
        phone.locator(".council-vacancy").first.wait_for()
        _no_sideways_scroll(phone)
        screenshot(phone, f"{council}-vacant-390")
    phone.goto("/councils/")
    _no_sideways_scroll(phone)
    screenshot(phone, "index-390")
