import pytest

from accounts.services import demo_departments_seed
from intranet.demo import demo_ideas_seed
from intranet.models import Idea, IdeaVote

pytestmark = pytest.mark.django_db


def test_demo_ideas_have_votes_statuses_and_a_merge_and_seed_once(make_user):
    make_user("eli.employee")
    demo_departments_seed()  # the demo colleagues
    assert demo_ideas_seed() == {"ideas": 7}
    assert demo_ideas_seed() == {"ideas": 0}
    statuses = set(Idea.objects.values_list("status", flat=True))
    assert {"new", "under_review", "planned", "in_progress", "done", "declined"} <= statuses
    merged = Idea.objects.get(merged_into__isnull=False)
    assert merged.merged_into.title == "Refill stations on every floor"
    for idea in Idea.objects.all():
        assert idea.vote_count == IdeaVote.objects.filter(idea=idea).count()
    assert Idea.objects.get(title="Refill stations on every floor").vote_count == 4  # eli voted both: once
