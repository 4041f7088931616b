"""demo_meetings_seed: for each council a held meeting last quarter with minutes and action items (one done, one
open that the next meeting carries over), the next meeting scheduled, one published spotlight; idempotent."""

import pytest

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.services import demo_departments_seed, user_create
from councils.demo import demo_meetings_seed
from councils.models import ActionItem, Meeting, Spotlight
from councils.selectors.meetings import carried_over_items
from councils.selectors.spotlights import spotlights_public
from councils.services.seats import councils_ensure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_demo_seeds_meetings_items_and_a_spotlight_once(client):
    councils_ensure()
    for demo in DEMO_USERS:
        user_create(email=demo.email, password=DEMO_PASSWORD, name=demo.name, roles=demo.roles, email_verified=True)
    demo_departments_seed()
    first = demo_meetings_seed()
    assert first["council_meetings"] == 4
    assert first["spotlights"] == 1
    assert demo_meetings_seed() == {"council_meetings": 0, "council_action_items": 0, "spotlights": 0}
    for kind in ("brand", "customer"):
        past = Meeting.objects.get(idempotency_key=f"demo:meeting:{kind}:past")
        upcoming = Meeting.objects.get(idempotency_key=f"demo:meeting:{kind}:next")
        assert past.status == Meeting.Status.HELD
        assert past.minutes
        assert past.decisions
        assert sorted(past.action_items.values_list("status", flat=True)) == ["done", "open"]
        assert upcoming.status == Meeting.Status.SCHEDULED
        assert upcoming.attendees.filter(role="executive").exists()
        assert [i.title for i in carried_over_items(meeting=upcoming)] == ["Collect ten customer stories about the can"]
    assert ActionItem.objects.count() == 4
    [spotlight] = spotlights_public()
    assert spotlight.consent_at is not None
    assert client.get(f"/spotlights/{spotlight.slug}/").status_code == 200
    assert Spotlight.objects.count() == 1
