"""The triage queue: what needs attention, its quick views and filters, capped counts, saved views, and bulk
actions on a selection or on every mention of a filter."""

import pytest
from django.urls import reverse

from accounts.models import Department
from insights.models import Mention, MentionAction, SavedView, Sentiment
from insights.services.ingest import mentions_ingest
from insights.services.triage import mentions_assign, mentions_no_action, mentions_route, mentions_tag
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

Status = Mention.Status
URL = "/insights/triage/"


@pytest.fixture(autouse=True)
def utc(settings):
    settings.TIME_ZONE = "UTC"
    settings.INSIGHTS_HIGH_REACH = 10_000


def add(n: int, text: str, *, label=Sentiment.NEUTRAL, **overrides) -> Mention:
    [pk] = mentions_ingest([item(n, text=f"Carl's Soda {text}", **overrides)]).created_ids
    Mention.objects.filter(pk=pk).update(sentiment_label=label)
    return Mention.objects.get(pk=pk)


@pytest.fixture
def world(ana, make_user, departments):
    """One mention per reason to need attention, and some that need none."""
    TermFactory()
    ben = make_user(email="ben@carlssoda.example", name="Ben Quill", roles=["insights_staff"])
    m = {
        "negative": add(1, "negative leaked all over", label=Sentiment.NEGATIVE),
        "question": add(2, "question where to buy it?", label=Sentiment.POSITIVE),
        "reach": add(3, "reach big fan", label=Sentiment.POSITIVE, author={"handle": "@bigvoice", "reach": 50_000}),
        "mine": add(4, "mine assigned neutral note", published_at="2026-03-02T10:00:00+00:00"),
        "bens": add(5, "bens assigned neutral note", channel="reddit"),
        "done": add(6, "done already answered", label=Sentiment.NEGATIVE),
        "quiet": add(7, "quiet routed note"),
    }
    mentions_assign(mentions=[m["mine"].pk], assignee=ana, by=ana)
    mentions_assign(mentions=[m["bens"].pk, m["quiet"].pk], assignee=ben, by=ana)
    mentions_no_action(mentions=[m["done"].pk], by=ana)
    mentions_route(mentions=[m["quiet"].pk], department=departments[1], by=ana)
    mentions_tag(mentions=[m["negative"].pk], tag="leak", by=ana)
    m["ben"] = ben
    return m


def shown(response) -> set[str]:
    body = response.content.decode()
    words = ("negative", "question", "reach", "mine", "bens", "done", "quiet")
    return {word for word in words if f"Soda {word} " in body}


def test_the_queue_lists_what_needs_attention_and_no_more(as_ana, world):
    response = as_ana.get(URL)
    assert response.status_code == 200
    # assigned, neutral, no question, low reach: in hand, not in the queue; no action / routed: out of it
    assert shown(response) == {"negative", "question", "reach"}
    assert "3 mentions" in response.content.decode()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("negative", {"negative"}),
        ("questions", {"question"}),
        ("high_reach", {"reach"}),
        ("unassigned", {"negative", "question", "reach"}),
        ("all", {"negative", "question", "reach", "mine", "bens", "done", "quiet"}),
    ],
)
def test_each_quick_view_keeps_its_reason(as_ana, world, reason, expected):
    assert shown(as_ana.get(URL, {"reason": reason})) == expected


def test_the_alerts_view_lists_mentions_of_an_alert(as_ana, world):
    from django.utils import timezone

    from insights.models import Alert, TrackedTerm

    alert = Alert.objects.create(
        term=TrackedTerm.objects.get(), kind=Alert.Kind.VOLUME_SPIKE, opened_at=timezone.now(),
        last_seen_at=timezone.now(), observed=30, baseline=3,
    )  # fmt: skip
    alert.mentions.add(world["reach"])
    assert shown(as_ana.get(URL, {"reason": "alerts"})) == {"reach"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "assigned"}, {"mine", "bens"}),
        ({"status": "no_action"}, {"done"}),
        ({"assignee": "me"}, {"mine"}),
        ({"assignee": "nobody"}, {"negative", "question", "reach", "done"}),
        ({"department": "customer-service"}, {"quiet"}),
        ({"tag": "leak"}, {"negative"}),
        ({"min_reach": "10000"}, {"reach"}),
        ({"label": "negative", "term": "Carl's Soda"}, {"negative", "done"}),
        ({"channel": "reddit"}, {"bens"}),
        ({"start": "2026-03-01", "end": "2026-03-02"}, {"mine"}),
    ],
)
def test_filters_narrow_every_mention(as_ana, world, params, expected):
    assert shown(as_ana.get(URL, {"reason": "all", **params})) == expected


def test_the_assignee_filter_takes_a_person(as_ana, world):
    assert shown(as_ana.get(URL, {"reason": "all", "assignee": world["ben"].pk})) == {"bens", "quiet"}


def test_bad_filter_values_are_shown_and_left_out(as_ana, world):
    response = as_ana.get(URL, {"min_reach": "-5", "assignee": "somebody", "end": "not-a-day", "status": "zzz"})
    assert response.status_code == 200
    assert shown(response) == {"negative", "question", "reach"}
    assert "greater than or equal to 0" in response.content.decode()


def test_counts_stop_at_the_cap(as_ana, world, monkeypatch):
    monkeypatch.setattr("insights.selectors.triage.COUNT_CAP", 2)
    body = as_ana.get(URL).content.decode()
    assert "2+ mentions" in body
    assert "Page 1 of 1+" not in body  # 3 rows fit one page of 50


def test_the_first_page_costs_a_fixed_number_of_queries(as_ana, world, django_assert_max_num_queries):
    for n in range(20, 40):
        add(n, f"more trouble {n}", label=Sentiment.NEGATIVE)
    with django_assert_max_num_queries(20):
        as_ana.get(URL, {"label": "negative", "term": "Carl's Soda"})


# --- Saved views ----------------------------------------------------------------------------------------


def test_a_saved_view_keeps_the_filter_and_shows_its_count(as_ana, ana, world):
    response = as_ana.post(
        reverse("insights:saved_view_create"), {"name": "Negative", "query": "reason=negative&page=3&evil=1"}
    )
    view = SavedView.objects.get(user=ana)
    assert (view.name, view.query) == ("Negative", "reason=negative")
    assert response.url == f"{URL}?reason=negative"
    body = as_ana.get(URL).content.decode()
    assert f'href="{URL}?reason=negative">Negative</a> <span class="badge text-bg-light border">1</span>' in body


def test_saved_views_are_renamed_and_deleted(as_ana, ana, world):
    view = SavedView.objects.create(user=ana, name="Old", query="reason=questions")
    as_ana.post(reverse("insights:saved_view_rename", args=[view.pk]), {"name": "Questions"})
    view.refresh_from_db()
    assert view.name == "Questions"
    as_ana.post(reverse("insights:saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_a_second_view_of_the_same_name_is_refused(as_ana, ana, world):
    SavedView.objects.create(user=ana, name="Mine", query="assignee=me")
    response = as_ana.post(reverse("insights:saved_view_create"), {"name": "Mine", "query": "reason=all"}, follow=True)
    assert "You already have a view called “Mine”." in response.content.decode()
    assert SavedView.objects.get().query == "assignee=me"


def test_someone_elses_saved_view_is_404_and_untouched(as_ana, world):
    theirs = SavedView.objects.create(user=world["ben"], name="Ben's", query="assignee=me")
    assert as_ana.post(reverse("insights:saved_view_rename", args=[theirs.pk]), {"name": "Mine now"}).status_code == 404
    assert as_ana.post(reverse("insights:saved_view_delete", args=[theirs.pk])).status_code == 404
    assert SavedView.objects.get().name == "Ben's"
    assert "Ben&#x27;s" not in as_ana.get(URL).content.decode()


# --- Bulk actions -----------------------------------------------------------------------------------------


def bulk(client, action, ids=(), *, q="", follow=False, **fields):
    data = {"action": action, "ids": [str(i) for i in ids], "q": q, **fields}
    return client.post(reverse("insights:triage_bulk"), data, follow=follow)


def test_assign_the_selection(as_ana, world):
    picked = [world["negative"].pk, world["question"].pk]
    response = bulk(as_ana, "assign", picked, q="reason=negative", assignee=world["ben"].pk, follow=True)
    assert response.redirect_chain[-1][0] == f"{URL}?reason=negative"
    assert "2 mentions assigned to Ben Quill." in response.content.decode()
    bens = Mention.objects.filter(assignee=world["ben"], status=Status.ASSIGNED)
    assert set(bens.values_list("pk", flat=True)) >= set(picked)


def test_route_tag_respond_no_action_and_reopen_the_selection(as_ana, ana, world):
    pk = world["negative"].pk
    routed = bulk(as_ana, "route", [pk], department="marketing", follow=True)
    assert "1 mention routed to Marketing." in routed.content.decode()
    assert "1 mention tagged #refund." in bulk(as_ana, "tag", [pk], tag="#Refund", follow=True).content.decode()
    assert "1 mention marked responded." in bulk(as_ana, "respond", [pk], follow=True).content.decode()
    assert "1 mention reopened." in bulk(as_ana, "reopen", [pk], follow=True).content.decode()
    assert "1 mention marked no action needed." in bulk(as_ana, "no_action", [pk], follow=True).content.decode()
    mention = Mention.objects.get(pk=pk)
    assert mention.status == Status.NO_ACTION
    assert mention.first_response_by == ana
    assert list(mention.tags.values_list("name", flat=True)) == ["leak", "refund"]
    kinds = list(mention.actions.values_list("kind", flat=True))
    assert kinds[-5:] == ["routed", "tagged", "responded", "reopened", "no_action"]


def test_every_mention_of_the_filter_asks_first_when_many(as_ana, world, monkeypatch):
    monkeypatch.setattr("insights.views.triage.CONFIRM_FROM", 2)
    response = bulk(as_ana, "no_action", scope="all", q="reason=unassigned")
    assert response.status_code == 200
    assert "every one of the 3 mentions of this filter" in response.content.decode()
    assert not Mention.objects.filter(pk=world["question"].pk, status=Status.NO_ACTION).exists()
    response = bulk(as_ana, "no_action", scope="all", q="reason=unassigned", confirm="1", follow=True)
    assert "3 mentions marked no action needed." in response.content.decode()
    assert set(Mention.objects.filter(status=Status.NO_ACTION).values_list("pk", flat=True)) == {
        world[k].pk for k in ("negative", "question", "reach", "done")
    }


def test_every_mention_of_the_filter_acts_at_once_when_few(as_ana, world):
    response = bulk(as_ana, "tag", scope="all", q="reason=all&label=negative", tag="backlash", follow=True)
    assert "2 mentions tagged #backlash." in response.content.decode()
    assert set(Mention.objects.filter(tags__name="backlash").values_list("pk", flat=True)) == {
        world["negative"].pk, world["done"].pk
    }  # fmt: skip


def test_over_the_limit_nothing_changes_and_the_selection_stays(as_ana, world, settings):
    settings.INSIGHTS_BULK_ACTION_MAX = 1
    picked = [world["negative"].pk, world["question"].pk]
    response = bulk(as_ana, "no_action", picked, q="reason=negative&tag=leak")
    assert response.status_code == 400
    body = response.content.decode()
    assert "more than 1 mentions" in body
    assert f'value="{picked[0]}" form="triage-bulk" id="select-{picked[0]}" checked' in body
    assert 'name="q" value="reason=negative&amp;tag=leak"' in body
    assert not Mention.objects.filter(pk__in=picked, status=Status.NO_ACTION).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "assign"}, "Choose a person."),
        ({"action": "route", "department": "no-such-dept"}, "Select a valid choice."),
        ({"action": "tag", "tag": "!!!"}, "A tag needs at least one letter or digit."),
        ({"action": "explode"}, "Select a valid choice."),
        ({"action": "respond", "ids": []}, "Select at least one mention"),
        ({"action": "respond", "ids": ["x1"]}, "Not a mention id."),
    ],
)
def test_bad_bulk_input_is_refused_with_nothing_changed(as_ana, world, data, error):
    before = MentionAction.objects.count()
    data.setdefault("ids", [world["negative"].pk])
    response = as_ana.post(reverse("insights:triage_bulk"), {"q": "", **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert MentionAction.objects.count() == before


def test_unknown_ids_change_nothing(as_ana, world):
    response = bulk(as_ana, "respond", [999_999], follow=True)
    assert "Nothing changed" in response.content.decode()


def test_assignee_choices_are_staff_and_department_members(as_ana, world, make_user):
    member = make_user(email="dee@carlssoda.example", name="Dee Member", roles=["employee"])
    Department.objects.get(slug="marketing").members.add(member)
    make_user(email="out@carlssoda.example", name="Otto Outsider", roles=["employee"])
    body = as_ana.get(URL).content.decode()
    assert "Dee Member" in body
    assert "Ben Quill" in body
    assert "Otto Outsider" not in body
