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
