import pytest


@pytest.fixture(autouse=True)
def _insights_channels(request):
    """Every database test of insights has the channels it uses (see the root conftest)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("channels")
