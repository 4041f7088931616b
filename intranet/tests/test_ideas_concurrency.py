"""Votes under concurrency: PostgreSQL, real threads, one connection each."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from intranet.idea_services import IdeaClosed, idea_merge, idea_vote
from intranet.models import Idea, IdeaVote
from intranet.tests.factories import employee, idea_manager, make_idea

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def run_at_once(work, n):
    start = Barrier(n)

    def one(i):
        start.wait()
        try:
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))  # any error in a thread raises here


def test_the_same_person_voting_many_times_at_once_counts_once_and_others_all_count():
    idea = make_idea()
    same = employee()
    others = [employee() for _ in range(THREADS // 2)]
    voters = [same] * (THREADS // 2) + others
    results = run_at_once(lambda i: idea_vote(idea=idea, voter=voters[i]), THREADS)
    assert results.count(True) == 1 + len(others)
    idea.refresh_from_db()
    assert idea.vote_count == IdeaVote.objects.filter(idea=idea).count() == 1 + len(others)


def test_votes_landing_during_a_merge_are_neither_lost_nor_counted_twice():
    duplicate, target, manager = make_idea(title="Dup"), make_idea(title="Target"), idea_manager()
    voters = [employee() for _ in range(THREADS - 1)]

    def work(i):
        if i == 0:
            return idea_merge(idea=duplicate, into=target, by=manager)
        try:
            return idea_vote(idea=target if i % 2 else duplicate, voter=voters[i - 1])
        except IdeaClosed as exc:  # a vote on the duplicate after the merge is refused: that is fine
            return exc

    run_at_once(work, THREADS)
    target.refresh_from_db()
    assert target.vote_count == IdeaVote.objects.filter(idea=target).count()
    assert not IdeaVote.objects.filter(idea=duplicate).exists()
    assert Idea.objects.get(pk=duplicate.pk).vote_count == 0
