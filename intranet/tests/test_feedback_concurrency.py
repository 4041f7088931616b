"""Pulse answers and feedback under concurrency: PostgreSQL, real threads, one connection each."""

import pytest

from intranet.feedback_services import feedback_give, pulse_answer
from intranet.models import Feedback, PulseParticipation, PulseResponse
from intranet.tests.factories import employee
from intranet.tests.test_ideas_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 12


def test_one_person_answering_many_times_at_once_counts_once_and_others_all_count():
    same = employee()
    others = [employee() for _ in range(THREADS // 2)]
    people = [same] * (THREADS // 2) + others
    results = run_at_once(lambda i: pulse_answer(user=people[i], score=i % 11), THREADS)
    assert results.count(True) == 1 + len(others)
    assert PulseParticipation.objects.count() == PulseResponse.objects.count() == 1 + len(others)


def test_the_same_anonymous_form_sent_many_times_at_once_makes_one_row():
    giver = employee()
    results = run_at_once(
        lambda i: feedback_give(author=giver, text="The canteen closes too early.", anonymous=True)[1], THREADS
    )
    assert results.count(True) == 1
    assert Feedback.objects.count() == 1
