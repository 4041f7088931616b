"""A mention's page: what was said, by whom (with their earlier mentions), its label, workflow and thread, the
actions on it; and what department members may open and do (only what was routed to their departments)."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from insights.models import Channel, Mention, MentionAction, Sentiment
from insights.selectors.triage import mentions_routed_to
from insights.services.corrections import mention_relabel
from insights.services.ingest import mentions_ingest
from insights.services.triage import mentions_assign, mentions_route
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

Status = Mention.Status


def add(n: int, text: str, **overrides) -> Mention:
    [pk] = mentions_ingest([item(n, text=text, **overrides)]).created_ids
    return Mention.objects.get(pk=pk)


def page(client, mention):
    return client.get(reverse("insights:mention_detail", args=[mention.pk]))


def act(client, mention, action, **fields):
    return client.post(reverse("insights:mention_act", args=[mention.pk]), {"action": action, **fields}, follow=True)


@pytest.fixture
def mention(ana):
    TermFactory()
    Channel.objects.filter(slug="twitter").update(response_target_minutes=60)
    hour = timezone.now() - timedelta(hours=30)
    for n in range(1, 13):  # twelve earlier mentions by the same author on the same channel
        add(n, f"Carl's Soda earlier note {n:02d}", published_at=(hour - timedelta(hours=n)).isoformat())
    add(50, "Carl's Soda on reddit by the same handle", channel="reddit")
    return add(
        99,
        "Carl's Soda leaked all over my bag. Who do I ask for a refund?",
        url="https://social.example/p/99",
        published_at=hour.isoformat(),
        author={"handle": "@fizzfan42", "name": "Robin Hart", "reach": 4200},
    )


def test_the_page_shows_the_mention_its_author_and_their_history(as_ana, mention):
    body = page(as_ana, mention).content.decode()
    assert "Who do I ask for a refund?" in body
    assert 'href="https://social.example/p/99"' in body
    assert "X / Twitter" in body
    assert "Robin Hart" in body
    assert "@fizzfan42" in body
    assert "Carl&#x27;s Soda</span>" in body  # the term it matched
    assert "13 mentions" in body  # the same handle on this channel: twelve earlier and this one
    assert "reach up to 4200" in body
    assert "earlier note 01" in body
    assert "earlier note 10" in body
    assert "earlier note 11" not in body  # the most recent ten
    assert "on reddit by the same handle" not in body  # another channel: another person until merged
    assert "set by the model" in body
    assert "overdue" in body  # 30 hours old, a 60-minute target, no response


def test_the_thread_lists_every_step_with_who_and_when_newest_last(as_ana, ana, mention, departments):
    mentions_assign(mentions=[mention.pk], assignee=ana, by=ana)
    mentions_route(mentions=[mention.pk], department=departments[1], by=ana)
    mention_relabel(mention=mention, label=Sentiment.NEGATIVE, by=ana)
    body = page(as_ana, mention).content.decode()
    steps = [body.index(f"<strong>{kind}</strong>") for kind in ("Assigned", "Routed", "Relabelled")]
    assert steps == sorted(steps)
    assert "to Customer service" in body
    assert "(Assigned → Routed)" in body
    assert "set by Ana Pereira" in body


def test_staff_act_on_the_page_and_each_step_is_threaded(as_ana, ana, mention, departments):
    assert "Mention assigned to Ana Pereira." in act(as_ana, mention, "assign", assignee=ana.pk).content.decode()
    act(as_ana, mention, "route", department="customer-service")
    act(as_ana, mention, "tag", tag="refund")
    act(as_ana, mention, "untag", tag="refund")
    body = act(as_ana, mention, "respond", url="https://social.example/reply/1").content.decode()
    assert "Mention marked responded." in body
    assert 'href="https://social.example/reply/1"' in body
    assert "late" in body  # answered 30 hours after, against 60 minutes
    act(as_ana, mention, "reopen")
    act(as_ana, mention, "no_action")
    mention.refresh_from_db()
    assert mention.status == Status.NO_ACTION
    assert (mention.first_response_by, mention.first_response_url) == (ana, "https://social.example/reply/1")
    assert list(mention.actions.values_list("kind", flat=True)) == [
        "assigned", "routed", "tagged", "untagged", "responded", "reopened", "no_action",
    ]  # fmt: skip
    again = act(as_ana, mention, "no_action").content.decode()
    assert "Nothing changed" in again


def test_relabelling_from_the_page_comes_back_to_it(as_ana, mention):
    back = f"/insights/mentions/{mention.pk}/"
    response = as_ana.post(reverse("insights:relabel", args=[mention.pk]), {"label": "negative", "next": back})
    assert response.url == f"/insights/mentions/{mention.pk}/"
    assert mention.actions.get().kind == MentionAction.Kind.RELABELLED


def test_bad_action_input_is_refused_with_nothing_changed(as_ana, mention):
    for data in ({"action": "assign", "assignee": "999999"}, {"action": "respond", "url": "javascript:alert(1)"}, {}):
        response = as_ana.post(reverse("insights:mention_act", args=[mention.pk]), data, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()
    assert not mention.actions.exists()


def test_an_unknown_mention_is_404(as_ana):
    assert as_ana.get("/insights/mentions/999999/").status_code == 404
    assert as_ana.post("/insights/mentions/999999/act/", {"action": "respond"}).status_code == 404


# --- Department members ------------------------------------------------------------------------------------


@pytest.fixture
def member(client, make_user, departments):
    """Eli, an employee in marketing only (not insights staff)."""
    eli = make_user("eli.employee")
    Department.objects.get(slug="marketing").members.add(eli)
    client.force_login(eli)
    return client


def test_a_member_opens_and_answers_what_was_routed_to_their_department(member, ana, mention, departments):
    mentions_route(mentions=[mention.pk], department=departments[0], by=ana)
    body = page(member, mention).content.decode()
    assert "Who do I ask for a refund?" in body
    assert "earlier note" not in body  # the author's other mentions were not routed to them
    assert 'value="assign"' not in body
    assert "Mention marked responded." in act(member, mention, "respond").content.decode()
    mention.refresh_from_db()
    assert mention.status == Status.RESPONDED
    act(member, mention, "reopen")
    act(member, mention, "no_action")
    mention.refresh_from_db()
    assert mention.status == Status.NO_ACTION


def test_a_member_cannot_assign_route_or_tag(member, ana, mention, departments):
    mentions_route(mentions=[mention.pk], department=departments[0], by=ana)
    for data in ({"action": "assign", "assignee": ana.pk}, {"action": "route", "department": "customer-service"},
                 {"action": "tag", "tag": "mine"}):  # fmt: skip
        assert "alert-danger" in act(member, mention, **data).content.decode()
    mention.refresh_from_db()
    assert (mention.assignee, mention.department, mention.status) == (None, departments[0], Status.ROUTED)


def test_a_member_gets_404_for_any_other_mention_and_changes_nothing(member, ana, mention, departments):
    elsewhere = Mention.objects.exclude(pk=mention.pk).first()
    mentions_route(mentions=[mention.pk], department=departments[1], by=ana)  # customer service: not Eli's
    for other in (mention, elsewhere):
        assert page(member, other).status_code == 404
        response = member.post(reverse("insights:mention_act", args=[other.pk]), {"action": "respond"})
        assert response.status_code == 404
    mention.refresh_from_db()
    assert (mention.status, mention.first_response_at) == (Status.ROUTED, None)
    assert member.get("/insights/triage/").status_code == 403


# --- The department page's include ------------------------------------------------------------------------


def render_routed(department, user, **params):
    request = RequestFactory().get(f"/departments/{department.slug}/", params)
    request.user = user
    return render_to_string("insights/_department_routed.html", {"department": department}, request=request)


def test_the_department_include_lists_its_routed_mentions_newest_first_by_pages(ana, mention, departments):
    marketing, service = departments
    others = list(Mention.objects.exclude(pk=mention.pk).order_by("published_at")[:11])
    mentions_route(mentions=[m.pk for m in others], department=marketing, by=ana)
    mentions_route(mentions=[mention.pk], department=service, by=ana)
    assert list(mentions_routed_to(service)) == [mention]
    first = render_routed(marketing, ana)
    assert first.count('href="/insights/mentions/') == 10
    link = "/insights/mentions/{}/".format
    assert first.index(link(others[-1].pk)) < first.index(link(others[-2].pk))  # newest first
    assert link(mention.pk) not in first
    assert "?routed_page=2" in first
    second = render_routed(marketing, ana, routed_page="2")
    assert link(others[0].pk) in second
    assert "Nothing has been routed" in render_routed(Department.objects.create(slug="legal", name="Legal"), ana)


def test_relabelling_a_row_in_place_shows_the_new_label(as_ana, mention):
    response = as_ana.post(
        reverse("insights:relabel", args=[mention.pk]), {"label": "positive"}, HTTP_HX_REQUEST="true"
    )
    assert 'class="badge text-bg-success">positive</span>' in response.content.decode()
    assert "by Ana" in response.content.decode()
