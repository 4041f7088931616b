"""The triage workflow's services: every change is recorded, statuses move as the workflow says, the first
response counts once, and what ingest derives (questions, due times) is right."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Department
from insights.models import Channel, Mention, MentionAction
from insights.services.corrections import mention_relabel, mentions_relabel
from insights.services.ingest import mentions_ingest
from insights.services.triage import (
    mention_respond,
    mentions_assign,
    mentions_no_action,
    mentions_reopen,
    mentions_respond,
    mentions_route,
    mentions_tag,
)
from insights.tests.factories import item
from insights.triage import is_question

pytestmark = pytest.mark.django_db

Status = Mention.Status
Kind = MentionAction.Kind


@pytest.fixture
def mentions():
    twitter = Channel.objects.get(slug="twitter")
    twitter.response_target_minutes = 60
    twitter.save()
    result = mentions_ingest([item(n, text=f"Carl's Soda, day {n}. Where can I buy it?") for n in range(1, 4)])
    return list(Mention.objects.filter(pk__in=result.created_ids).order_by("pk"))


def thread(mention) -> list[tuple[str, str]]:
    return list(mention.actions.values_list("kind", "detail"))


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Where can I buy Carl's Soda in Leeds", True),
        ("Carl's Soda is great. Does the cherry one have sugar", True),
        ("Carl's Soda?", True),
        ("This is great, I love it", False),
        ("What a day. Loved the lime one!", True),  # a question word opens a sentence: the rule errs towards asking
        ("Nothing to see here", False),
    ],
)
def test_questions_are_recognised(text, question):
    assert is_question(text) is question


def test_ingest_sets_the_due_time_from_the_channels_target_and_the_question_flag(mentions):
    mention = mentions[0]
    assert mention.is_question
    assert mention.response_due_at == mention.published_at + timedelta(minutes=60)
    Channel.objects.filter(slug="reddit").update(response_target_minutes=None)
    [reddit] = Mention.objects.filter(
        pk__in=mentions_ingest([item(9, channel="reddit", text="Carl's Soda rocks")]).created_ids
    )
    assert reddit.response_due_at is None
    assert not reddit.is_question


def test_assign_then_unassign_moves_status_and_threads_who_did_it(mentions, make_user):
    ana, ben = make_user("ana.insights"), make_user()
    assert mentions_assign(mentions=[m.pk for m in mentions[:2]], assignee=ben, by=ana) == 2
    first = Mention.objects.get(pk=mentions[0].pk)
    assert (first.status, first.assignee) == (Status.ASSIGNED, ben)
    assert mentions_assign(mentions=[first.pk], assignee=ben, by=ana) == 0  # already theirs: nothing recorded
    mentions_assign(mentions=[first.pk], assignee=None, by=ana)
    first.refresh_from_db()
    assert (first.status, first.assignee) == (Status.NEW, None)
    assert thread(first) == [(Kind.ASSIGNED, f"to {ben}"), (Kind.UNASSIGNED, "")]
    action = first.actions.first()
    assert (action.actor, action.status_before, action.status_after) == (ana, Status.NEW, Status.ASSIGNED)


def test_route_and_take_back(mentions, make_user, departments):
    ana = make_user("ana.insights")
    care = Department.objects.get(slug="customer-service")
    mentions_assign(mentions=[mentions[0].pk], assignee=ana, by=ana)
    mentions_route(mentions=Mention.objects.filter(pk=mentions[0].pk), department=care, by=ana)
    mention = Mention.objects.get(pk=mentions[0].pk)
    assert (mention.status, mention.department) == (Status.ROUTED, care)
    mentions_route(mentions=[mention.pk], department=None, by=ana)
    mention.refresh_from_db()
    assert (mention.status, mention.department) == (Status.ASSIGNED, None)  # back to the person on it
    assert [kind for kind, _ in thread(mention)] == [Kind.ASSIGNED, Kind.ROUTED, Kind.UNROUTED]


def test_the_first_response_counts_once(mentions, make_user):
    ana, ben = make_user("ana.insights"), make_user()
    mention = mentions[0]
    at = mention.published_at + timedelta(minutes=42)
    stored, first = mention_respond(mention=mention, by=ana, at=at, url="https://example.com/reply/1")
    assert first
    assert stored.status == Status.RESPONDED
    assert (stored.first_response_at, stored.first_response_by) == (at, ana)
    again, first = mention_respond(mention=mention, by=ben, at=at + timedelta(hours=1))
    assert not first
    assert (again.first_response_at, again.first_response_by, again.first_response_url) == (
        at,
        ana,
        "https://example.com/reply/1",
    )
    assert [kind for kind, _ in thread(mention)] == [Kind.RESPONDED]


def test_reopening_keeps_the_first_response_and_responding_again_does_not_move_it(mentions, make_user):
    ana = make_user("ana.insights")
    mention = mentions[0]
    mentions_respond(mentions=[mention.pk], by=ana)
    answered = Mention.objects.get(pk=mention.pk).first_response_at
    mentions_reopen(mentions=[mention.pk], by=ana)
    mentions_respond(mentions=[mention.pk], by=ana)
    mention.refresh_from_db()
    assert (mention.status, mention.first_response_at) == (Status.RESPONDED, answered)
    assert [kind for kind, _ in thread(mention)] == [Kind.RESPONDED, Kind.REOPENED, Kind.RESPONDED]


def test_a_response_before_the_mention_or_without_offset_is_refused(mentions):
    mention = mentions[0]
    with pytest.raises(ValidationError, match="before the mention"):
        mention_respond(mention=mention, by=None, at=mention.published_at - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="UTC offset"):
        mention_respond(mention=mention, by=None, at=timezone.now().replace(tzinfo=None))
    assert Mention.objects.get(pk=mention.pk).first_response_at is None


def test_thanking_is_a_response_with_its_kind(mentions, make_user):
    ana = make_user("ana.insights")
    stored, _ = mention_respond(mention=mentions[0], by=ana, kind=Mention.ResponseKind.GIFT, thanked=True)
    assert stored.first_response_kind == "gift"
    assert thread(stored) == [(Kind.THANKED, "by gift")]


def test_no_action_then_reopen(mentions, make_user):
    ana = make_user("ana.insights")
    assert mentions_no_action(mentions=Mention.objects.all(), by=ana) == 3
    assert mentions_no_action(mentions=Mention.objects.all(), by=ana) == 0
    mentions_reopen(mentions=[mentions[1].pk], by=ana)
    assert Mention.objects.get(pk=mentions[1].pk).status == Status.NEW


def test_tags_are_created_on_first_use_and_recorded_once(mentions, make_user):
    ana = make_user("ana.insights")
    ids = [m.pk for m in mentions]
    assert mentions_tag(mentions=ids[:2], tag="#Refund", by=ana) == 2
    assert mentions_tag(mentions=ids, tag="refund", by=ana) == 1  # only the one without it
    assert set(Mention.objects.filter(tags__name="refund").values_list("pk", flat=True)) == set(ids)
    assert mentions_tag(mentions=ids[:1], tag="refund", by=ana, remove=True) == 1
    assert thread(mentions[0]) == [(Kind.TAGGED, "#refund"), (Kind.UNTAGGED, "#refund")]
    with pytest.raises(ValidationError):
        mentions_tag(mentions=ids, tag="  #  ", by=ana)


def test_a_bulk_action_beyond_the_limit_changes_nothing(mentions, make_user, settings):
    settings.INSIGHTS_BULK_ACTION_MAX = 2
    with pytest.raises(ValidationError, match="more than 2"):
        mentions_no_action(mentions=Mention.objects.all(), by=make_user("ana.insights"))
    assert not Mention.objects.filter(status=Status.NO_ACTION).exists()
    assert not MentionAction.objects.exists()


def test_relabels_are_threaded(mentions, make_user):
    ana = make_user("ana.insights")
    before = mentions[0].sentiment_label
    mention_relabel(mention=mentions[0], label="negative", by=ana)
    mentions_relabel(mention_ids=[mentions[0].pk, mentions[1].pk], label="positive", by=ana)
    assert thread(mentions[0]) == [(Kind.RELABELLED, f"{before} → negative"), (Kind.RELABELLED, "negative → positive")]


def test_respond_in_bulk_takes_each_mentions_own_time_and_refuses_a_future_one(mentions, make_user):
    ana = make_user("ana.insights")
    at_of = {m.pk: m.published_at + timedelta(minutes=10 * n) for n, m in enumerate(mentions, start=1)}
    assert mentions_respond(mentions=[m.pk for m in mentions], by=ana, at_of=lambda m: at_of[m.pk]) == 3
    for mention in Mention.objects.filter(pk__in=at_of):
        assert (mention.first_response_at, mention.status) == (at_of[mention.pk], Status.RESPONDED)
    mentions_reopen(mentions=[mentions[0].pk], by=ana)
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        mentions_respond(mentions=[mentions[0].pk], by=ana, at_of=lambda m: later)
    assert Mention.objects.get(pk=mentions[0].pk).status == Status.NEW


def test_changes_that_response_times_count_mark_the_mentions_hours(mentions, departments):
    from insights.models import RollupMark
    from insights.services.rollups import rollups_refresh

    rollups_refresh()
    mentions_tag(mentions=[mentions[0].pk], tag="refund", by=None)
    assert not RollupMark.objects.exists()  # a tag changes no figure
    mentions_route(mentions=[mentions[0].pk], department=departments[0], by=None)
    mention_respond(mention=mentions[1], by=None)
    mentions_no_action(mentions=[mentions[2].pk], by=None)
    marked = set(RollupMark.objects.values_list("hour", flat=True))
    assert marked == {m.published_at.replace(minute=0, second=0, microsecond=0) for m in mentions}
