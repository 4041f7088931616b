"""The benchmarks' intranet data (bench.intranet_data), which the search and feed benches share: it tops
up to the numbers asked, a second fill creates nothing, and what it makes is found like any content."""

import pytest

from accounts.roles import Role
from bench.intranet_data import IDEA_PREFIX, POST_PREFIX, intranet_fill
from intranet.models import Idea, Post
from intranet.search_selectors import ideas_matching, posts_matching

pytestmark = pytest.mark.django_db


def test_a_fill_tops_up_and_a_second_creates_nothing():
    first = intranet_fill(posts=40, ideas=12)
    assert (first["posts_created"], first["ideas_created"]) == (40, 12)
    again = intranet_fill(posts=40, ideas=12)
    assert (again["posts_created"], again["ideas_created"]) == (0, 0)
    more = intranet_fill(posts=50, ideas=12)
    assert more["posts_created"] == 10
    assert Post.objects.filter(external_id__startswith=POST_PREFIX).count() == 50
    assert Idea.objects.filter(external_id__startswith=IDEA_PREFIX).count() == 12


def test_its_posts_are_by_employees_and_searchable():
    intranet_fill(posts=60, ideas=10)
    post = Post.objects.order_by("-created_at").first()
    assert post.author.groups.filter(name=Role.EMPLOYEE).exists()
    assert post.html.startswith("<p>")
    word = max((w.strip(".,:") for w in post.text.split()), key=len)  # no stop word ("the") on PostgreSQL
    assert posts_matching(word).filter(pk=post.pk).exists()
    idea = Idea.objects.first()
    assert ideas_matching(max(idea.title.split(), key=len)).filter(pk=idea.pk).exists()
