"""Moderation: moderators hide posts and comments (post and idea comments) with a reason that only the author
reads; anyone reports content once; the queue hides or dismisses, and reporters and authors hear of it."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from intranet.idea_services import idea_comment
from intranet.models import ContentReport, IdeaComment, Post
from intranet.post_services import (
    PostHidden,
    PostNotAllowed,
    ReportRefused,
    comment_create,
    content_hide,
    content_report,
    content_unhide,
    post_edit,
    post_react,
    reports_dismiss,
)
from intranet.tests.factories import make_idea
from intranet.tests.post_factories import make_post, moderator, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ines():
    return person("ines.author", "Ines Author")


@pytest.fixture
def colm():
    return person("colm.reader", "Colm Reader")


@pytest.fixture
def mo():
    return moderator()


def texts(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("text", flat=True))


def test_only_moderators_and_staff_hide(ines, colm, make_user):
    post = make_post(ines)
    with pytest.raises(PostNotAllowed):
        content_hide(item=post, by=colm, reason="I do not like it")
    post.refresh_from_db()
    assert not post.is_hidden
    content_hide(item=post, by=make_user("ada.admin"), reason="Shares a customer's phone number")
    post.refresh_from_db()
    assert post.is_hidden
    assert post.hidden_reason == "Shares a customer's phone number"


def test_a_hide_needs_a_reason(ines, mo):
    post = make_post(ines)
    with pytest.raises(Exception, match="required"):
        content_hide(item=post, by=mo, reason="  ")
    post.refresh_from_db()
    assert not post.is_hidden


def test_the_author_sees_the_reason_and_everyone_else_a_placeholder(ines, colm, mo, client):
    post = make_post(ines, text="Our supplier's prices, leaked")
    content_hide(item=post, by=mo, reason="Confidential supplier prices")
    url = reverse("intranet:post_detail", args=[post.pk])

    client.force_login(colm)
    page = client.get(url).content.decode()
    assert "This post was hidden by a moderator." in page
    assert "supplier&#x27;s prices" not in page
    assert "Confidential supplier prices" not in page
    feed = client.get(reverse("intranet:feed")).content.decode()
    assert "This post was hidden by a moderator." in feed
    assert "leaked" not in feed
    assert "it takes no new comments" in page

    client.force_login(ines)
    page = client.get(url).content.decode()
    assert "Confidential supplier prices" in page
    assert "leaked" in page
    assert texts(ines) == ["A moderator hid your post: Confidential supplier prices"]


def test_a_comment_on_a_hidden_post_is_refused_with_a_clear_message(ines, colm, mo, client):
    post = make_post(ines)
    content_hide(item=post, by=mo, reason="Off topic")
    client.force_login(colm)
    response = client.post(reverse("intranet:post_comment", args=[post.pk]), {"text": "Why?"})
    assert response.status_code == 400
    assert "A moderator hid this post: it takes no new comments." in response.content.decode()
    assert not post.comments.exists()
    with pytest.raises(PostHidden):
        post_react(post=post, user=colm, kind="like")
    with pytest.raises(PostHidden):
        post_edit(post=post, by=ines, text="Fixed it")


def test_hidden_comments_show_their_reason_to_their_author_only(ines, colm, mo, client):
    post = make_post(ines)
    comment, _ = comment_create(post=post, author=colm, text="Rude words here")
    content_hide(item=comment, by=mo, reason="Be kind")
    client.force_login(ines)
    page = client.get(reverse("intranet:post_detail", args=[post.pk])).content.decode()
    assert "This comment was hidden by a moderator." in page
    assert "Rude words" not in page
    client.force_login(colm)
    page = client.get(reverse("intranet:post_detail", args=[post.pk])).content.decode()
    assert "Be kind" in page
    assert "Rude words" in page


def test_idea_comments_can_be_reported_and_hidden(ines, colm, mo, client):
    idea = make_idea(author=ines)
    comment = idea_comment(idea=idea, author=colm, text="Spam spam spam")
    report, created = content_report(item=comment, reporter=ines, reason="Spam")
    assert created
    assert report.idea_comment == comment
    client.force_login(mo)
    queue = client.get(reverse("intranet:report_queue")).content.decode()
    assert "Spam spam spam" in queue
    response = client.post(
        reverse("intranet:content_hide", args=["idea-comment", comment.pk]),
        {"reason": "Spam", "next": reverse("intranet:report_queue")},
    )
    assert response["Location"] == reverse("intranet:report_queue")
    comment.refresh_from_db()
    assert comment.is_hidden
    client.force_login(ines)
    page = client.get(reverse("intranet:idea_detail", args=[idea.pk])).content.decode()
    assert "This comment was hidden by a moderator." in page
    assert "Spam spam spam" not in page
    assert IdeaComment.objects.count() == 1


def test_a_report_is_made_once_and_not_on_ones_own_or_hidden_content(ines, colm, mo):
    post = make_post(ines)
    first, created = content_report(item=post, reporter=colm, reason="Off topic")
    again, created_again = content_report(item=post, reporter=colm, reason="Really off topic")
    assert created
    assert not created_again
    assert first == again
    assert ContentReport.objects.count() == 1
    with pytest.raises(ReportRefused, match="your own post"):
        content_report(item=post, reporter=ines, reason="Oops")
    content_hide(item=post, by=mo, reason="Off topic")
    with pytest.raises(ReportRefused, match="hid this post already"):
        content_report(item=post, reporter=person("dana.new", "Dana New"), reason="Late")


def test_hiding_from_the_queue_closes_the_reports_and_tells_reporters_and_author(ines, colm, mo, client):
    post = make_post(ines, text="A rant about the night shift")
    dana = person("dana.new", "Dana New")
    content_report(item=post, reporter=colm, reason="Insults a team")
    content_report(item=post, reporter=dana, reason="Not kind")
    client.force_login(mo)
    queue = client.get(reverse("intranet:report_queue")).content.decode()
    assert "A rant about the night shift" in queue
    assert "Insults a team" in queue
    assert "Not kind" in queue
    assert queue.count('class="card mb-3 queue-item"') == 1  # one item, two reports
    client.post(
        reverse("intranet:content_hide", args=["post", post.pk]),
        {"reason": "Insults colleagues", "next": reverse("intranet:report_queue")},
    )
    assert set(ContentReport.objects.values_list("outcome", flat=True)) == {"hidden"}
    assert texts(colm) == ["Thank you: a moderator hid the post you reported."]
    assert texts(dana) == ["Thank you: a moderator hid the post you reported."]
    assert texts(ines) == ["A moderator hid your post: Insults colleagues"]
    assert "No open reports." in client.get(reverse("intranet:report_queue")).content.decode()


def test_dismissing_leaves_the_content_up_and_tells_the_reporter_only(ines, colm, mo, client):
    post = make_post(ines)
    content_report(item=post, reporter=colm, reason="Meh")
    client.force_login(mo)
    response = client.post(reverse("intranet:report_dismiss", args=["post", post.pk]))
    assert response["Location"] == reverse("intranet:report_queue")
    post.refresh_from_db()
    assert not post.is_hidden
    assert ContentReport.objects.get().outcome == "dismissed"
    assert texts(colm) == ["A moderator read your report and left the post up: it keeps to the rules."]
    assert texts(ines) == []
    assert reports_dismiss(item=post, by=mo) == 0  # again: nothing open


def test_unhide_shows_it_again_and_tells_the_author(ines, mo):
    post = make_post(ines)
    content_hide(item=post, by=mo, reason="Checking")
    content_unhide(item=post, by=mo)
    post.refresh_from_db()
    assert not post.is_hidden
    assert post.hidden_reason == ""
    assert texts(ines)[-1] == "A moderator made your post visible again."


def test_the_queue_and_hiding_are_for_moderators_only(ines, colm, client):
    post = make_post(ines)
    content_report(item=post, reporter=colm, reason="Meh")
    client.force_login(colm)
    assert client.get(reverse("intranet:report_queue")).status_code == 403
    assert client.post(reverse("intranet:content_hide", args=["post", post.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("intranet:report_dismiss", args=["post", post.pk])).status_code == 403
    assert client.post(reverse("intranet:post_pin", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert not post.is_hidden
    assert post.pinned_at is None
    assert ContentReport.objects.get().outcome == "open"


def test_reporting_from_the_page(ines, colm, client):
    post = make_post(ines)
    client.force_login(colm)
    url = reverse("intranet:content_report", args=["post", post.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Off topic"}, follow=True)
    assert "Thank you: moderators will look at it." in response.content.decode()
    response = client.post(url, {"reason": "Off topic"}, follow=True)
    assert "You reported it already" in response.content.decode()
    assert ContentReport.objects.count() == 1
    assert client.get(reverse("intranet:content_report", args=["nonsense", post.pk])).status_code == 404


def test_a_hidden_posts_images_are_not_served_to_others(ines, colm, mo, client, settings, tmp_path):
    from intranet.tests.post_factories import jpeg

    settings.MEDIA_ROOT = str(tmp_path)
    post = make_post(ines, images=[jpeg()])
    image = post.images.get()
    content_hide(item=post, by=mo, reason="Private photo")
    client.force_login(colm)
    assert client.get(reverse("intranet:post_image", args=[image.pk])).status_code == 404
    client.force_login(ines)
    assert client.get(reverse("intranet:post_image", args=[image.pk])).status_code == 200
    assert Post.objects.count() == 1


def test_a_form_never_sends_anyone_off_site(ines, colm, mo, client):
    post = make_post(ines)
    client.force_login(colm)
    response = client.post(
        reverse("intranet:post_react", args=[post.pk]), {"kind": "like", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("intranet:post_detail", args=[post.pk])
    client.force_login(mo)
    response = client.post(
        reverse("intranet:content_hide", args=["post", post.pk]), {"reason": "x", "next": "//evil.example/"}
    )
    assert response["Location"] == reverse("intranet:post_detail", args=[post.pk])


def test_the_hide_page_shows_what_is_hidden_and_needs_a_reason(ines, colm, mo, client):
    comment, _ = comment_create(post=make_post(ines), author=colm, text="**Loud** words")
    client.force_login(mo)
    url = reverse("intranet:content_hide", args=["comment", comment.pk])
    page = client.get(url).content.decode()
    assert "<strong>Loud</strong> words" in page
    assert "Reason (its author sees it)" in page
    assert client.post(url, {"reason": ""}).status_code == 400
    comment.refresh_from_db()
    assert not comment.is_hidden
