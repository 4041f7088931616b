from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from insights.models import (
    DailyRollup,
    DailyTermRollup,
    HourlyRollup,
    Mention,
    MentionTerm,
    RollupMark,
    Sentiment,
    TrackedTerm,
)
from insights.selectors.rollups import rollups_generation
from insights.services.corrections import mention_relabel, mentions_delete
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.terms import term_rematch
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)  # spans a US daylight-saving change on 8 March


def snapshot() -> set:
    fields = ("bucket", "channel_id", "term_id", "label", "count", "reach_sum", "engagement_sum")
    hourly = {("h", *row) for row in HourlyRollup.objects.values_list(*fields)}
    daily = {("d", *row) for row in DailyRollup.objects.values_list(*fields)}
    sums = {
        ("hs", row[0], row[1], row[2], row[3], round(row[4], 6))
        for row in HourlyRollup.objects.values_list("bucket", "channel_id", "term_id", "label", "sentiment_sum")
    }
    summed = {
        ("dt", *row[:-1], round(row[-1], 6))
        for row in DailyTermRollup.objects.values_list(
            "bucket", "term_id", "label", "count", "reach_sum", "engagement_sum", "sentiment_sum"
        )
    }
    return hourly | daily | sums | summed


def test_the_first_pass_counts_new_mentions_by_hour_and_day():
    TermFactory()
    mentions_ingest([item(1, published_at="2026-03-01T10:15:00+00:00"), item(2, published_at="2026-03-01T10:45:00Z")])
    done = rollups_refresh()
    assert done["hours"] == 1
    total = HourlyRollup.objects.get(term=None)
    assert (total.bucket, total.count, total.label) == (datetime(2026, 3, 1, 10, tzinfo=UTC), 2, Sentiment.POSITIVE)
    assert total.reach_sum == 2400
    assert total.engagement_sum == 16
    assert HourlyRollup.objects.get(term__name="Carl's Soda").count == 2
    assert DailyRollup.objects.get(term=None).count == 2
    assert RollupMark.objects.count() == 0


def test_a_second_pass_with_nothing_new_changes_nothing():
    TermFactory()
    mentions_ingest([item(1)])
    rollups_refresh()
    before = snapshot()
    assert rollups_refresh() == {"hours": 0, "days": 0, "rows": 0}
    assert snapshot() == before


def test_a_late_mention_for_an_old_day_is_counted():
    TermFactory()
    mentions_ingest([item(1)])
    rollups_refresh()
    mentions_ingest([item(2, published_at="2025-12-24T18:00:00+00:00")])
    rollups_refresh()
    assert DailyRollup.objects.filter(bucket="2025-12-24", term=None).get().count == 1


def test_a_staff_label_wins_in_the_counts():
    TermFactory()
    mentions_ingest([item(1)])
    rollups_refresh()
    mention = Mention.objects.get()
    staff = User.objects.create_user(email="ana@carlssoda.example")
    mention_relabel(mention=mention, label=Sentiment.NEGATIVE, by=staff)
    rollups_refresh()
    assert list(HourlyRollup.objects.filter(term=None).values_list("label", "count")) == [(Sentiment.NEGATIVE, 1)]


def test_deleted_mentions_leave_the_counts():
    TermFactory()
    mentions_ingest([item(1), item(2)])
    rollups_refresh()
    mentions_delete(mention_ids=[Mention.objects.first().pk])
    rollups_refresh()
    assert HourlyRollup.objects.get(term=None).count == 1


def test_rebuild_gives_the_same_numbers_as_the_incremental_passes():
    TermFactory()
    mentions_ingest([item(n, published_at=(BASE + timedelta(hours=n)).isoformat()) for n in range(30)])
    rollups_refresh()
    incremental = snapshot()
    rollups_refresh(rebuild=True)
    assert snapshot() == incremental


VOCABULARY = ["carl's soda", "cherry fizz", "love", "awful", "flat", "bubbleton", "great", "today", "hola"]


@st.composite
def operations(draw):
    ops = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["ingest", "ingest", "relabel", "delete", "rematch", "refresh"]))
        if kind == "ingest":
            batch = []
            for _ in range(draw(st.integers(1, 8))):
                words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4))
                batch.append(
                    {
                        "n": draw(st.integers(0, 40)),
                        "hours": draw(st.integers(0, 72)),
                        "channel": draw(st.sampled_from(["twitter", "reddit", "call-centre"])),
                        "text": " ".join(words),
                        "language": draw(st.sampled_from(["en", "en", "es"])),
                        "reach": draw(st.integers(0, 5000)),
                    }
                )
            ops.append(("ingest", batch))
        elif kind in ("relabel", "delete"):
            ops.append((kind, draw(st.integers(0, 1000)), draw(st.sampled_from(["positive", "neutral", "negative"]))))
        elif kind == "rematch":
            ops.append(("rematch", draw(st.sampled_from(['"cherry fizz"', "love OR great", "flat -awful", "fizz*"]))))
        else:
            ops.append(("refresh",))
    return ops


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations())
def test_incremental_rollups_always_equal_a_full_rebuild(ops):
    for model in (MentionTerm, Mention, HourlyRollup, DailyRollup, DailyTermRollup, RollupMark, TrackedTerm):
        model.objects.all().delete()
    TermFactory()
    product = TermFactory(name="Cherry Fizz", kind="product", query='"cherry fizz"')
    staff, _ = User.objects.get_or_create(email="ana@carlssoda.example")
    for op in ops:
        if op[0] == "ingest":
            mentions_ingest(
                [
                    item(
                        i["n"],
                        channel=i["channel"],
                        text=i["text"],
                        language=i["language"],
                        published_at=(BASE + timedelta(hours=i["hours"], minutes=i["n"])).isoformat(),
                        author={"reach": i["reach"]},
                    )
                    for i in op[1]
                ]
            )
        elif op[0] in ("relabel", "delete"):
            mentions = list(Mention.objects.order_by("pk"))
            if mentions:
                mention = mentions[op[1] % len(mentions)]
                if op[0] == "relabel":
                    mention_relabel(mention=mention, label=op[2], by=staff)
                else:
                    mentions_delete(mention_ids=[mention.pk])
        elif op[0] == "rematch":
            TrackedTerm.objects.filter(pk=product.pk).update(query=op[1])
            term_rematch(term_id=product.pk)
        else:
            rollups_refresh()
    rollups_refresh()
    incremental = snapshot()
    rollups_refresh(rebuild=True)
    assert snapshot() == incremental


def test_a_pass_that_recounts_names_a_new_generation_and_an_idle_one_does_not():
    TermFactory()
    before = rollups_generation()
    mentions_ingest([item(1)])
    rollups_refresh()
    counted = rollups_generation()
    assert counted != before
    rollups_refresh()
    assert rollups_generation() == counted
    rollups_refresh(rebuild=True)
    assert rollups_generation() != counted
