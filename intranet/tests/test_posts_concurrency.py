"""Retries at the same moment never write twice: PostgreSQL, real threads, one connection each."""

import uuid

import pytest

from intranet.models import ContentReport, Post, PostComment, PostReaction
from intranet.post_services import comment_create, content_report, post_create, post_react
from intranet.tests.post_factories import make_post, person
from intranet.tests.test_ideas_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def test_a_post_form_sent_many_times_at_once_makes_one_post():
    ines, token = person("ines.author", "Ines Author"), uuid.uuid4()
    results = run_at_once(lambda i: post_create(author=ines, text="Once only", submit_token=token), THREADS)
    assert Post.objects.count() == 1
    assert [created for _, created in results].count(True) == 1


def test_a_comment_form_sent_many_times_at_once_makes_one_comment():
    post, colm, token = make_post(person("ines.author", "Ines Author")), person("colm.reader", "Colm"), uuid.uuid4()
    run_at_once(lambda i: comment_create(post=post, author=colm, text="Once", submit_token=token), THREADS)
    assert PostComment.objects.count() == 1


def test_reactions_and_reports_at_once_stay_one_per_person():
    post, colm = make_post(person("ines.author", "Ines Author")), person("colm.reader", "Colm")
    kinds = ["like", "celebrate", "insightful", "support"]
    run_at_once(lambda i: post_react(post=post, user=colm, kind=kinds[i % 4]), THREADS)
    run_at_once(lambda i: content_report(item=post, reporter=colm, reason="Off topic"), THREADS)
    assert PostReaction.objects.count() == 1
    assert ContentReport.objects.count() == 1
