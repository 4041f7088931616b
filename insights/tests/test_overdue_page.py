"""The overdue queue: mentions past their target with no response, the latest first, with who is on them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from insights.models import Channel, Mention
from insights.services.ingest import mentions_ingest
from insights.services.triage import mention_respond, mentions_assign, mentions_no_action
from insights.tests.factories import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(make_user):
    """On twitter (a 60-minute target): mentions 1–5 published 2, 5, 3, 1.5 and 0.5 hours ago."""
    Channel.objects.filter(slug="twitter").update(response_target_minutes=60)
    now = timezone.now()
    hours = {1: 2, 2: 5, 3: 3, 4: 1.5, 5: 0.5}
    items = [
        item(n, text=f"Mention number {n}: where is my order?", published_at=(now - timedelta(hours=h)).isoformat())
        for n, h in hours.items()
    ]
    ids = mentions_ingest(items).created_ids
    mentions = {n: Mention.objects.get(pk=pk) for n, pk in zip(hours, ids, strict=True)}
    mentions_assign(
        mentions=[mentions[3].pk], assignee=make_user(email="sam@rapport.example", name="Sam Agent"), by=None
    )
    mention_respond(mention=mentions[4], by=None)  # answered (late): not overdue
    return mentions


def test_staff_see_the_latest_first_with_how_late_and_who(client, login, queue):
    login(client, "ana.insights")
    page = client.get("/insights/overdue/").content.decode()
    order = [int(n) for n in re.findall(r"Mention number (\d)", page)]
    assert order == [2, 3, 1]  # 5 was due 4 hours ago, 3 two hours ago, 1 an hour ago; 4 answered, 5 not due yet
    assert f'href="/insights/mentions/{queue[2].pk}/"' in page
    row = page[page.index(f'id="mention-{queue[3].pk}"') :]
    assert "Sam Agent" in row[:2000]
    assert "2\xa0hours" in row[:2000]
    assert "X / Twitter" in row[:2000]
    assert "3 mentions past" in page


def test_no_action_takes_a_mention_out_of_the_queue(client, login, queue):
    login(client, "ana.insights")
    mentions_no_action(mentions=[queue[2].pk], by=None)
    page = client.get("/insights/overdue/").content.decode()
    assert [int(n) for n in re.findall(r"Mention number (\d)", page)] == [3, 1]


def test_the_page_costs_a_few_queries(client, login, queue, django_assert_max_num_queries):
    login(client, "ana.insights")
    client.get("/insights/overdue/")
    with django_assert_max_num_queries(8):
        assert client.get("/insights/overdue/").status_code == 200


@pytest.mark.parametrize("page", ["0", "-3", "x", "99999999999999999999", "2"])
def test_any_page_number_answers(client, login, queue, page):
    login(client, "ana.insights")
    assert client.get("/insights/overdue/", {"page": page}).status_code == 200


def test_others_may_not_see_it(client, login):
    login(client, "eli.employee")
    assert client.get("/insights/overdue/").status_code == 403
