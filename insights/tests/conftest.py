import pytest

from insights.models import Channel

# The channels the tests use. A migration creates them in a real database, but a
# transactional test empties the tables, so the tests make sure of their own.
TEST_CHANNELS = [
    ("twitter", "X / Twitter", "online"),
    ("reddit", "Reddit", "online"),
    ("call-centre", "Call centre", "offline"),
]


@pytest.fixture(autouse=True)
def channels(request):
    if request.node.get_closest_marker("django_db") is None:
        return None
    return [
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
        for slug, name, kind in TEST_CHANNELS
    ]
