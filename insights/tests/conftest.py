import json

import pytest


@pytest.fixture(autouse=True)
def _insights_channels(request):
    """Every database test of insights has the channels it uses (see the root conftest)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("channels")


@pytest.fixture
def admin_api(api_client):
    """`admin_api("post", "terms", {...})` calls /api/v1/terms with an insights:admin key; a body goes as JSON."""
    client = api_client("insights:admin")

    def call(method, path, body=None):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1/{path}", **kwargs)

    return call


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (CSV imports) go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def ana(make_user):
    """Ana, the demo insights analyst."""
    return make_user("ana.insights")


@pytest.fixture
def as_ana(client, ana):
    """A test client signed in as Ana."""
    client.force_login(ana)
    return client


@pytest.fixture
def teams(make_user, ana):
    """Ana (insights staff) and one employee in each of marketing, PR and customer service (who leads it)."""
    from types import SimpleNamespace

    from accounts.models import Department
    from accounts.roles import Role
    from accounts.services import department_lead_set, department_member_add

    people = {}
    for slug, name, email in [
        ("marketing", "Marketing", "nora.marketing@carlssoda.example"),
        ("pr", "PR", "priya.pr@carlssoda.example"),
        ("customer-service", "Customer service", "sam.service@carlssoda.example"),
    ]:
        department = Department.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        person = make_user(email=email, name=email.split(".")[0].title(), roles=[Role.EMPLOYEE])
        department_member_add(department=department, user=person)
        department_lead_set(department=department, lead=person)
        people[slug] = SimpleNamespace(department=department, member=person)
    return SimpleNamespace(ana=ana, marketing=people["marketing"], pr=people["pr"], service=people["customer-service"])


@pytest.fixture
def write_finding(teams):
    """`write_finding(departments=["pr"], **fields)`: a finding Ana writes through the service."""
    from insights.services.findings import finding_create

    def write(departments=("customer-service",), **fields):
        values = {
            "title": "Cans arrive dented",
            "summary": "Forty mentions this week say the cans arrive dented.",
            "recommended_action": "Check the packaging with the carrier.",
            "departments": list(departments),
        }
        finding, _ = finding_create(**(values | fields), by=teams.ana)
        return finding

    return write


@pytest.fixture(autouse=True)
def _scorer_read_again():
    """Each test reads the active sentiment version afresh, and leaves no learned scorer to the next test
    (a rolled-back database can reuse a version's id)."""
    from insights.sentiment import scorer_forget

    scorer_forget()
    yield
    scorer_forget()
