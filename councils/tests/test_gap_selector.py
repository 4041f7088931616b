"""councils.selectors.gap on PostgreSQL: the quarter's texts from insights and the intranet, in the
organisation's time zone, feedback of small groups never counted or quoted, samples, the trend."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from councils.models import Council, Report
from councils.quarters import Quarter
from councils.selectors.gap import conversation_gap, quarter_gap
from councils.tests.gap_corpus import PLANTED, gap_corpus
from insights.models import Mention, TrackedTerm
from insights.selectors.conversation import _tablesample, mention_texts
from intranet.models import Feedback, Idea, IdeaComment, Post, PostComment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Q3 = Quarter(2026, 3)  # July to September in America/New_York
LABEL = {1.0: "positive", 0.0: "neutral", -1.0: "negative", None: "unscored"}


@pytest.fixture(autouse=True)
def _zone(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.INTRANET_REPORT_MIN_GROUP = 5


@pytest.fixture
def author(make_user):
    return make_user(email="gap.writer@carlssoda.example", name="Gala Farrant", roles=["employee"])


def _mentions(channel, docs, *, at, prefix="m"):
    Mention.objects.bulk_create(
        Mention(
            channel=channel,
            source="gap-test",
            external_id=f"{prefix}{n}",
            text=doc.text,
            published_at=at + timedelta(minutes=n),
            sentiment_label=LABEL[doc.sentiment],
        )
        for n, doc in enumerate(docs)
    )


def _posts(author, docs, *, at):
    Post.objects.bulk_create(
        Post(author=author, text=doc.text, created_at=at + timedelta(minutes=n)) for n, doc in enumerate(docs)
    )


@pytest.fixture
def planted_q3(channels, author):
    """The planted corpus in 2026-Q3: mentions outside, posts inside; and the brand as a tracked term."""
    TrackedTerm.objects.create(name="Carl's Soda", kind="brand", query='"Carl\'s Soda" OR @carlssoda')
    corpus = gap_corpus()
    at = datetime(2026, 7, 2, 12, tzinfo=UTC)
    _mentions(channels[0], corpus.external, at=at)
    _posts(author, corpus.internal, at=at)
    return corpus


def _words(gap: dict) -> set[str]:
    return {word for theme in gap["themes"] for keyword in theme["keywords"] for word in keyword.split()}


def test_planted_quarter_gives_the_planted_themes_and_trend(planted_q3):
    gap = conversation_gap(quarter=Q3)
    assert gap["documents"] == {"external": len(planted_q3.external), "internal": len(planted_q3.internal)}
    assert gap["sampled"] is False
    sides = {}
    for theme in gap["themes"]:
        words = set(" ".join(theme["keywords"][:5]).split())
        planted = max(PLANTED, key=lambda p: len(words & p.vocabulary))
        sides[planted.name] = theme["side"]
        assert theme["external"]["count"] >= 0
        assert set(theme["internal"]) == {"count", "share"}
    assert sides == {p.name: p.side for p in PLANTED}
    assert not {"carls", "soda", "carlssoda"} & _words(gap)  # the brand names no theme
    assert 0 < gap["overlap"] < 1
    # The trend: four quarters, oldest first, this one last; the earlier ones are empty.
    assert [point["quarter"] for point in gap["trend"]] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [point["overlap"] for point in gap["trend"]] == [0.0, 0.0, 0.0, gap["overlap"]]


def test_deterministic(planted_q3):
    assert conversation_gap(quarter=Q3) == conversation_gap(quarter=Q3)


def test_quarter_bounds_are_the_organisations(channels, author):
    """2026-07-01 03:00 UTC is still June 30 in New York: 2026-Q2. 05:00 UTC is July 1 there: 2026-Q3."""
    texts = [gap_corpus().external[0]]
    _mentions(channels[0], texts, at=datetime(2026, 7, 1, 3, 30, tzinfo=UTC), prefix="q2-")
    _mentions(channels[0], texts * 2, at=datetime(2026, 7, 1, 4, 30, tzinfo=UTC), prefix="q3-")
    _mentions(channels[0], texts, at=datetime(2026, 10, 1, 3, 59, tzinfo=UTC), prefix="q3-end-")
    _mentions(channels[0], texts, at=datetime(2026, 10, 1, 4, 0, tzinfo=UTC), prefix="q4-")
    _posts(author, texts * 3, at=datetime(2026, 9, 30, 23, tzinfo=UTC))  # Sept 30, 19:00 in New York
    _posts(author, texts, at=datetime(2026, 6, 30, 23, tzinfo=UTC))
    assert quarter_gap(quarter=Q3)["documents"] == {"external": 3, "internal": 3}
    assert quarter_gap(quarter=Quarter(2026, 2))["documents"] == {"external": 1, "internal": 1}
    assert quarter_gap(quarter=Quarter(2026, 4))["documents"] == {"external": 1, "internal": 0}


def test_every_internal_kind_is_read_and_hidden_ones_are_not(author, channels):
    at = datetime(2026, 8, 3, 15, tzinfo=UTC)
    post = Post.objects.create(author=author, text="Shift swap button please", created_at=at)
    Post.objects.create(author=author, text="Hidden post", created_at=at, hidden_at=at)
    PostComment.objects.create(post=post, author=author, text="Agreed on swaps", created_at=at)
    PostComment.objects.create(post=post, author=author, text="Hidden comment", created_at=at, hidden_at=at)
    idea = Idea.objects.create(title="Rota app", description="An app for the rota", author=author, created_at=at)
    IdeaComment.objects.create(idea=idea, author=author, text="Yes please", created_at=at)
    for n in range(5):
        Feedback.objects.create(text=f"Overtime is too much, week {n}", topic="workload", created_on=date(2026, 8, 4))
    assert quarter_gap(quarter=Q3)["documents"]["internal"] == 4 + 5


def test_feedback_from_a_group_under_five_is_never_counted_or_quoted(author, channels):
    """Topic = group. Six anonymous people on workload: read. Four on facilities: not read at all, so the
    gap is exactly what it was without them; a fifth makes a group of five, read from then on."""
    corpus = gap_corpus()
    at = datetime(2026, 8, 1, 15, tzinfo=UTC)
    _mentions(channels[0], corpus.external, at=at)
    _posts(author, corpus.internal, at=at)
    for n in range(6):
        Feedback.objects.create(
            text=f"Overtime on the weekend shift schedule again, shift rota unfair ({n})",
            topic="workload",
            anonymous=True,
            created_on=date(2026, 8, n + 1),
        )
    before = conversation_gap(quarter=Q3)
    assert before["documents"]["internal"] == len(corpus.internal) + 6
    small = "The broken vending machine on floor two ate my coins again, vending machine broken"
    for n in range(4):
        Feedback.objects.create(
            text=f"{small} ({n})", topic="facilities", anonymous=True, created_on=date(2026, 8, n + 1)
        )
    Feedback.objects.create(text=f"{small} (Q4)", topic="facilities", created_on=date(2026, 10, 1))  # not Q3
    after = conversation_gap(quarter=Q3)
    assert after == before
    quoted = [example for theme in after["themes"] for example in theme["examples"]["internal"]]
    assert quoted
    assert not any("floor two" in example for example in quoted)
    Feedback.objects.create(text=f"{small} (4)", topic="facilities", anonymous=True, created_on=date(2026, 8, 9))
    assert quarter_gap(quarter=Q3)["documents"]["internal"] == len(corpus.internal) + 11


def test_empty_quarter_and_quarter_not_begun():
    empty = conversation_gap(quarter=Q3)
    assert empty["themes"] == []
    assert empty["overlap"] == 0.0
    assert empty["documents"] == {"external": 0, "internal": 0}
    assert len(empty["trend"]) == 4
    future = Quarter.current().next
    assert conversation_gap(quarter=future, trend_quarters=1) == {
        "overlap": 0.0,
        "trend": [{"quarter": str(future), "overlap": 0.0}],
        "themes": [],
        "sampled": False,
        "documents": {"external": 0, "internal": 0},
        "sample": {"external": 0, "internal": 0},
    }


def test_partial_quarter_in_progress(channels, author):
    corpus = gap_corpus()
    now = timezone.now()
    _mentions(channels[0], corpus.external[:200], at=now - timedelta(minutes=300))
    _posts(author, corpus.internal[:150], at=now - timedelta(minutes=200))
    quarter = Quarter.current()
    gap = conversation_gap(quarter=quarter)
    assert gap["documents"]["external"] == sum(
        1 for n in range(200) if now - timedelta(minutes=300 - n) >= quarter.start
    )
    assert gap["trend"][-1] == {"quarter": str(quarter), "overlap": gap["overlap"]}


def test_samples_are_fixed_and_counts_scaled_back_up(planted_q3):
    gap = conversation_gap(quarter=Q3, sample=200, trend_quarters=1)
    assert gap["sampled"] is True
    assert gap["sample"] == {"external": 200, "internal": 200}
    assert gap["documents"] == {"external": len(planted_q3.external), "internal": len(planted_q3.internal)}
    assert gap == conversation_gap(quarter=Q3, sample=200, trend_quarters=1)
    for theme in gap["themes"]:
        expected = round(theme["external"]["share"] * len(planted_q3.external))
        assert abs(theme["external"]["count"] - expected) <= 1
    assert {theme["side"] for theme in gap["themes"]} >= {"shared", "external_only", "internal_only"}


def test_tablesample_reads_the_range_only(channels):
    corpus = gap_corpus()
    _mentions(channels[0], corpus.external[:100], at=datetime(2026, 8, 1, tzinfo=UTC))
    _mentions(channels[0], corpus.external[:50], at=datetime(2026, 5, 1, tzinfo=UTC), prefix="q2-")
    rows = _tablesample(Q3.start, Q3.end, 80, 80)  # 100%: every page
    assert len(rows) == 80
    assert {text for text, _ in rows} <= {doc.text for doc in corpus.external[:100]}
    assert mention_texts(start=Q3.start, end=Q3.end, limit=500).total == 100


def test_trend_reuses_a_published_reports_overlap(planted_q3, make_user):
    council = Council.objects.get(kind="brand")
    Report.objects.create(
        council=council,
        quarter="2026-Q2",
        status=Report.Status.PUBLISHED,
        published_at=timezone.now(),
        data={"conversation_gap": {"overlap": 0.42, "trend": [], "themes": []}},
    )
    gap = conversation_gap(quarter=Q3)
    assert gap["trend"][-2] == {"quarter": "2026-Q2", "overlap": 0.42}
    assert gap["trend"][0] == {"quarter": "2025-Q4", "overlap": 0.0}


def test_an_earlier_quarters_overlap_is_computed_once_then_cached(planted_q3, channels, author):
    from django.core.cache import cache

    assert conversation_gap(quarter=Q3)["trend"][-2] == {"quarter": "2026-Q2", "overlap": 0.0}
    corpus = gap_corpus()
    at = datetime(2026, 5, 2, 12, tzinfo=UTC)
    _mentions(channels[0], corpus.external, at=at, prefix="q2-")
    _posts(author, corpus.internal, at=at)
    assert conversation_gap(quarter=Q3)["trend"][-2]["overlap"] == 0.0  # from the cache
    cache.clear()
    assert conversation_gap(quarter=Q3)["trend"][-2]["overlap"] > 0.0
