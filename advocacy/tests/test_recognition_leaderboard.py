"""The leaderboard: this month and all time, active members only, held activity out, ties shared."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.selectors.recognition import leaderboard, month_start
from advocacy.services.activities import activity_record
from advocacy.services.membership import membership_end, membership_pause
from advocacy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def member(make_user, name):
    return MembershipFactory(user=make_user(name=name))


def earn(membership, points_of_kind, *, key, at=None, held=False):
    return activity_record(membership=membership, kind=points_of_kind, key=key, at=at, held=held)


def names(rows):
    return [(row.rank, row.name, row.points) for row in rows]


def test_month_counts_only_this_month_and_all_time_counts_everything(make_user):
    ada, ben = member(make_user, "Ada Moss"), member(make_user, "Ben Ruiz")
    long_ago = month_start() - timedelta(days=40)
    earn(ada, "conversion", key="order-old", at=long_ago)  # 50, last month or before
    earn(ben, "review", key="https://reviews.example/1")  # 10, now

    assert names(leaderboard("month")) == [(1, "Ben R.", 10)]
    assert names(leaderboard("all")) == [(1, "Ada M.", 50), (2, "Ben R.", 10)]


def test_held_activity_is_left_out(make_user):
    ada, ben = member(make_user, "Ada Moss"), member(make_user, "Ben Ruiz")
    earn(ada, "conversion", key="order-1", held=True)
    earn(ada, "share", key="https://social.example/1")
    earn(ben, "review", key="https://reviews.example/1")

    assert names(leaderboard("all")) == [(1, "Ben R.", 10), (2, "Ada M.", 5)]


def test_only_active_members_are_ranked(make_user):
    ada, ben, cy = member(make_user, "Ada Moss"), member(make_user, "Ben Ruiz"), member(make_user, "Cy Ode")
    for m in (ada, ben, cy):
        earn(m, "share", key=f"https://social.example/{m.pk}")
    membership_pause(membership=ben)
    membership_end(membership=cy, kind="left", reason="Moved away")

    assert names(leaderboard("all")) == [(1, "Ada M.", 5)]


def test_equal_points_share_a_rank_and_the_next_rank_skips(make_user):
    ada, ben, cy, dee = (member(make_user, n) for n in ("Ada Moss", "Ben Ruiz", "Cy Ode", "Dee Park"))
    earn(cy, "review", key="https://reviews.example/cy")  # 10
    earn(ada, "share", key="https://social.example/ada")  # 5
    earn(ben, "share", key="https://social.example/ben")  # 5
    earn(dee, "click", key="click:1")  # 1

    assert names(leaderboard("all")) == [(1, "Cy O.", 10), (2, "Ada M.", 5), (2, "Ben R.", 5), (4, "Dee P.", 1)]


def test_the_page_highlights_the_viewer_and_switches_period(client, make_user):
    ada, ben = member(make_user, "Ada Moss"), member(make_user, "Ben Ruiz")
    earn(ada, "review", key="https://reviews.example/1", at=timezone.now() - timedelta(days=400))
    earn(ben, "share", key="https://social.example/1")
    client.force_login(ben.user)

    month = client.get(reverse("advocacy:leaderboard")).content.decode()
    assert "You are <strong>#1</strong>" in month
    assert 'class="table-warning" aria-current="true"' in month
    assert "Ada M." not in month
    everything = client.get(reverse("advocacy:leaderboard") + "?period=all").content.decode()
    assert "You are <strong>#2</strong>" in everything
    assert "Ada M." in everything
    assert ada.user.email not in everything  # names only, never contact data


def test_program_managers_see_the_leaderboard(client, make_user, login):
    earn(member(make_user, "Ada Moss"), "share", key="https://social.example/1")
    login(client, "ana.insights")
    response = client.get(reverse("advocacy:leaderboard") + "?period=all")
    assert response.status_code == 200
    assert "Ada M." in response.content.decode()
