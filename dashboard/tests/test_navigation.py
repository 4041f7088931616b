"""The main navigation and each role's home, read from what every app declares beside its own code."""

import re

import pytest

pytestmark = pytest.mark.django_db

NAVIGATION = {
    "ana.insights": ["Dashboard", "Insights", "Program", "Councils", "Meetings", "Reports", "Departments", "API keys"],
    "eli.employee": ["Intranet", "Departments"],
    "amy.ambassador": ["Ambassador portal"],
    "cole.council": ["Ambassador portal", "Councils", "Meetings", "Reports"],
    "erin.exec": ["Dashboard", "Meetings", "Reports"],
    "ada.admin": [
        "Dashboard",
        "Insights",
        "Program",
        "Intranet",
        "Ambassador portal",
        "Councils",
        "Meetings",
        "Reports",
        "Departments",
        "API keys",
        "Admin",
    ],
}

HOMES = {
    "ana.insights": "/staff/",
    "eli.employee": "/intranet/",
    "amy.ambassador": "/ambassador/",
    "cole.council": "/councils/",
    "erin.exec": "/reports/",
    "ada.admin": "/admin/",
}


def _navigation(html: str) -> list[tuple[str, str, bool]]:
    menu = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    return [
        (label, href, " active" in css)
        for css, href, label in re.findall(r'<a class="nav-link([^"]*)"[^>]* href="([^"]+)">([^<]+)</a>', menu)
    ]


@pytest.mark.parametrize("handle", NAVIGATION)
def test_each_role_sees_its_entries_in_order(client, login, handle):
    login(client, handle)
    page = client.get("/stories/")  # a public page that every role can open
    assert [label for label, _, _ in _navigation(page.content.decode())] == NAVIGATION[handle]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/staff/", "Dashboard"),
        ("/insights/terms/", "Insights"),
        ("/program/kits/", "Program"),
        ("/reports/", "Reports"),
        ("/departments/marketing/", "Departments"),
    ],
)
def test_the_current_section_is_marked(client, login, path, label):
    login(client, "ada.admin")
    entries = _navigation(client.get(path).content.decode())
    assert [entry_label for entry_label, _, active in entries if active] == [label]


@pytest.mark.parametrize("handle", HOMES)
def test_each_role_lands_on_its_home(client, login, handle):
    login(client, handle)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == HOMES[handle]


def test_an_app_adds_its_entry_from_its_own_declarations(client, login, settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "dashboard.tests.extra_app"]
    login(client, "eli.employee")
    entries = _navigation(client.get("/intranet/").content.decode())
    assert [(label, href) for label, href, _ in entries] == [
        ("Intranet", "/intranet/"),
        ("Status", "/healthz"),
        ("Departments", "/departments/"),
    ]
