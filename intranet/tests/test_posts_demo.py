import pytest

from accounts.models import Notification
from accounts.services import demo_departments_seed
from intranet.demo import DEMO_POSTS, demo_posts_seed
from intranet.models import ContentReport, Group, Post, PostComment, PostReaction

pytestmark = pytest.mark.django_db


def test_demo_posts_fill_groups_and_feeds_and_seed_once(make_user):
    eli = make_user("eli.employee")
    demo_departments_seed()  # the demo colleagues
    assert demo_posts_seed() == {"groups": 4, "posts": len(DEMO_POSTS)}
    counts = (Group.objects.count(), Post.objects.count(), PostComment.objects.count(), PostReaction.objects.count())
    assert demo_posts_seed() == {"groups": 0, "posts": 0}
    again = (Group.objects.count(), Post.objects.count(), PostComment.objects.count(), PostReaction.objects.count())
    assert counts == again
    assert Post.objects.filter(group__isnull=False).exists()
    assert Post.objects.filter(group__isnull=True).exists()
    welcome = Post.objects.get(pinned_at__isnull=False)
    assert "Welcome to the new intranet" in welcome.html
    assert f"/intranet/people/{eli.pk}/" in welcome.html
    assert Notification.objects.filter(user=eli, text__contains="mentioned you").exists()
    assert ContentReport.objects.filter(outcome="open").count() == 1
    assert not Post.objects.filter(html__contains="<script").exists()
