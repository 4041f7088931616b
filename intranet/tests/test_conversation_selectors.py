"""intranet.conversation_selectors: the internal conversation of a period as text, for the councils' gap."""

from datetime import UTC, date, datetime, timedelta

import pytest

from intranet.conversation_selectors import feedback_in_groups, internal_texts
from intranet.models import Feedback, Idea, Post

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

START = datetime(2026, 7, 1, 4, tzinfo=UTC)  # 2026-07-01 00:00 in New York
END = datetime(2026, 10, 1, 4, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _zone(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.INTRANET_REPORT_MIN_GROUP = 5


def test_sample_is_shared_between_kinds_and_the_same_every_time(make_user):
    author = make_user(email="tova.sample@carlssoda.example", roles=["employee"])
    at = START + timedelta(days=3)
    Post.objects.bulk_create(Post(author=author, text=f"Post number {n}", created_at=at) for n in range(90))
    Idea.objects.bulk_create(
        Idea(author=author, title=f"Idea {n}", description="Cans", created_at=at) for n in range(30)
    )
    everything = internal_texts(start=START, end=END, limit=500)
    assert everything.total == 120
    assert not everything.sampled
    assert "Idea 7. Cans" in everything.rows
    sample = internal_texts(start=START, end=END, limit=40)
    assert sample.sampled
    assert sample.totals == {"posts": 90, "post_comments": 0, "ideas": 30, "idea_comments": 0, "feedback": 0}
    assert sum(row.startswith("Post") for row in sample.rows) == 30
    assert sum(row.startswith("Idea") for row in sample.rows) == 10
    assert sample.rows == internal_texts(start=START, end=END, limit=40).rows


def test_feedback_groups_are_topics_of_the_period_read_whole_days():
    for n in range(5):
        Feedback.objects.create(text=f"Too many late shifts {n}", topic="workload", created_on=date(2026, 9, 30))
    for n in range(4):
        Feedback.objects.create(
            text=f"Lift broken {n}", topic="facilities", anonymous=True, created_on=date(2026, 7, 1)
        )
    Feedback.objects.create(text="Lift broken in June", topic="facilities", created_on=date(2026, 6, 30))
    read = feedback_in_groups(start=START, end=END)
    assert set(read.values_list("topic", flat=True)) == {"workload"}
    assert read.count() == 5
