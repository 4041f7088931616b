"""Posts: writing safely rendered Markdown, @mentions, images, comments, reactions, edits, deletes, pins, groups
and the feed's pages and query budget."""

import os
import uuid
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from accounts.models import Notification
from intranet.markup import ALLOWED_TAGS
from intranet.models import Group, Post, PostComment, PostImage, PostReaction
from intranet.post_selectors import PAGE_SIZE, feed_page
from intranet.post_services import (
    PostHidden,
    PostNotAllowed,
    comment_create,
    comment_edit,
    content_hide,
    group_create,
    group_join,
    group_leave,
    post_create,
    post_delete,
    post_edit,
    post_pin,
    post_react,
    post_unreact,
)
from intranet.tests.post_factories import jpeg, make_post, moderator, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def ines():
    return person("ines.author", "Ines Author")


@pytest.fixture
def colm():
    return person("colm.reader", "Colm Reader")


# --- Rendering is safe --------------------------------------------------------------------------------


def _tags(html: str) -> list[tuple[str, dict]]:
    """The real elements of `html` (escaped text is not one), with their attributes."""

    class Collect(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Collect()
    parser.found = []
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('fizz')</script>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<img src=x onerror="alert(1)">',
        "![x](javascript:alert(1))",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "<iframe src='https://x.example'></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_no_script_survives_in_a_post_or_a_comment(ines, hostile):
    post = make_post(ines, text=f"Hello {hostile} there")
    comment, _ = comment_create(post=post, author=ines, text=hostile)
    for html in (post.html, comment.html):
        for tag, attrs in _tags(html):
            assert tag in ALLOWED_TAGS, html
            assert not any(name.startswith("on") or name == "style" for name in attrs), html
            if tag == "a":
                assert attrs["href"].startswith(("https:", "http:", "mailto:", "/")), html
                assert attrs["rel"] == "nofollow noopener", html
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert "<iframe" not in html.lower()


def test_markdown_is_formatted_and_links_get_nofollow_noopener(ines):
    post = make_post(ines, text="**Cherry** and *lime*\n\n- one\n- two\n\n[the plan](https://plan.example/fizz)")
    assert "<strong>Cherry</strong>" in post.html
    assert "<em>lime</em>" in post.html
    assert "<li>one</li>" in post.html
    assert '<a href="https://plan.example/fizz" rel="nofollow noopener">the plan</a>' in post.html


def test_raw_html_shows_as_text(ines):
    post = make_post(ines, text="<b>bold?</b>")
    assert "<b>" not in post.html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in post.html


# --- Mentions -----------------------------------------------------------------------------------------


def test_a_mention_links_to_the_person_and_notifies_them_once(ines, colm):
    post = make_post(ines, text="Thanks @colm.reader, and again @Colm.Reader!")
    url = reverse("intranet:person", args=[colm.pk])
    assert post.html.count(f'<a href="{url}" rel="nofollow noopener">@Colm Reader</a>') == 2
    notes = Notification.objects.filter(user=colm)
    assert [n.text for n in notes] == ["Ines Author mentioned you in a post."]
    assert notes[0].url == reverse("intranet:post_detail", args=[post.pk])
    assert not Notification.objects.filter(user=ines).exists()  # mentioning oneself notifies nobody


def test_an_edit_notifies_only_the_newly_mentioned(ines, colm):
    dana = person("dana.new", "Dana New")
    post = make_post(ines, text="Hi @colm.reader")
    post_edit(post=post, by=ines, text="Hi @colm.reader and @dana.new")
    post_edit(post=post, by=ines, text="Hi @colm.reader and @dana.new, see you at 3")
    assert Notification.objects.filter(user=colm).count() == 1
    assert Notification.objects.filter(user=dana).count() == 1


def test_mentions_in_code_links_and_addresses_and_of_non_employees_stay_text(ines, colm, make_user):
    make_user("amy.ambassador")
    post = make_post(
        ines, text="`@colm.reader` [@colm.reader](https://x.example) colm@colm.reader @amy.ambassador @nobody.here"
    )
    assert reverse("intranet:person", args=[colm.pk]) not in post.html
    assert not Notification.objects.exists()


def test_too_many_mentions_are_refused(ines):
    text = " ".join(f"@person{n}" for n in range(21))
    with pytest.raises(ValidationError, match="20 people at most"):
        post_create(author=ines, text=text)
    assert not Post.objects.exists()


def test_a_mention_in_a_comment_notifies_and_the_post_author_hears_of_the_comment(ines, colm):
    dana = person("dana.new", "Dana New")
    post = make_post(ines)
    comment_create(post=post, author=colm, text="Ask @dana.new")
    assert Notification.objects.get(user=dana).text == "Colm Reader mentioned you in a comment."
    assert Notification.objects.get(user=ines).text == "Colm Reader commented on your post."


# --- Writing, editing, deleting -------------------------------------------------------------------


def test_a_resent_form_makes_one_post(ines):
    token = uuid.uuid4()
    first, created = post_create(author=ines, text="Once", submit_token=token)
    again, created_again = post_create(author=ines, text="Once", submit_token=token)
    assert created
    assert not created_again
    assert first == again
    assert Post.objects.count() == 1


def test_text_is_required_and_limited(ines):
    for text, message in (("   ", "required"), ("x" * 20_001, "At most"), ("a\x00b", "cannot be stored")):
        with pytest.raises(ValidationError, match=message):
            post_create(author=ines, text=text)
    assert not Post.objects.exists()


def test_images_are_re_encoded_without_metadata_and_resized(ines):
    exif = Image.Exif()
    exif[0x010F] = "Secret camera"  # Make
    exif[0x8825] = {1: "N"}  # GPS
    post = make_post(ines, images=[jpeg(size=(3200, 1600), exif=exif), jpeg(fmt="PNG", name="b.png")])
    images = list(post.images.all())
    assert len(images) == 2
    with Image.open(images[0].image.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 800)
        assert not stored.getexif()
    assert (images[0].width, images[0].height) == (1600, 800)


def test_five_images_or_a_non_image_write_nothing(ines, tmp_path):
    with pytest.raises(ValidationError, match="4 images at most"):
        post_create(author=ines, text="Too many", images=[jpeg() for _ in range(5)])
    fake = jpeg()
    fake.file.write(b"")  # keep a name that says .jpg
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="Image 2: This file is not an image"):
        post_create(author=ines, text="One bad", images=[jpeg(), SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>")])
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_an_image_bomb_is_refused(ines, settings):
    settings.INTRANET_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="too many pixels"):
        post_create(author=ines, text="Big", images=[jpeg(size=(2000, 2000))])
    assert not Post.objects.exists()


def test_only_the_author_edits_or_deletes_and_an_edit_shows_edited(ines, colm):
    post = make_post(ines)
    with pytest.raises(PostNotAllowed):
        post_edit(post=post, by=colm, text="Mine now")
    with pytest.raises(PostNotAllowed):
        post_delete(post=post, by=colm)
    post.refresh_from_db()
    assert post.edited_at is None
    post_edit(post=post, by=ines, text="**Better**")
    post.refresh_from_db()
    assert post.edited_at is not None
    assert post.html == "<p><strong>Better</strong></p>\n"
    post_delete(post=post, by=ines)
    assert not Post.objects.exists()


def test_deleting_a_post_removes_its_image_files(ines, django_capture_on_commit_callbacks):
    post = make_post(ines, images=[jpeg()])
    path = post.images.get().image.path
    with django_capture_on_commit_callbacks(execute=True):
        post_delete(post=post, by=ines)
    assert not os.path.exists(path)


def test_only_the_author_edits_a_comment(ines, colm):
    comment, _ = comment_create(post=make_post(ines), author=colm, text="First")
    with pytest.raises(PostNotAllowed):
        comment_edit(comment=comment, by=ines, text="Changed")
    comment_edit(comment=comment, by=colm, text="Second")
    comment.refresh_from_db()
    assert comment.text == "Second"
    assert comment.edited_at is not None


def test_a_comment_on_a_hidden_post_is_refused(ines, colm):
    post = make_post(ines)
    content_hide(item=post, by=moderator(), reason="Off topic")
    with pytest.raises(PostHidden, match="hid this post: it takes no new comments"):
        comment_create(post=post, author=colm, text="Still here?")
    assert not PostComment.objects.exists()


# --- Reactions ----------------------------------------------------------------------------------------


def test_one_reaction_per_person_which_can_change_or_be_taken_back(ines, colm):
    post = make_post(ines)
    post_react(post=post, user=colm, kind="like")
    post_react(post=post, user=colm, kind="like")
    post_react(post=post, user=colm, kind="celebrate")
    assert list(PostReaction.objects.values_list("user_id", "kind")) == [(colm.pk, "celebrate")]
    assert post_unreact(post=post, user=colm)
    assert not post_unreact(post=post, user=colm)
    assert not PostReaction.objects.exists()


def test_an_unknown_reaction_is_refused(ines):
    with pytest.raises(ValidationError):
        post_react(post=make_post(ines), user=ines, kind="<script>")


# --- Groups and pins ----------------------------------------------------------------------------------


def test_groups_are_created_once_joined_and_left(ines, colm):
    group, created = group_create(name="Cherry  Fizz fans", by=ines, description="All things cherry.")
    again, created_again = group_create(name="cherry fizz FANS", by=ines)
    assert created
    assert not created_again
    assert again == group
    assert group.slug == "cherry-fizz-fans"
    with pytest.raises(ValidationError, match="exists already"):
        group_create(name="Cherry Fizz Fans", by=colm)
    assert group_join(group=group, user=colm)
    assert not group_join(group=group, user=colm)
    assert group_leave(group=group, user=colm)
    assert not group_leave(group=group, user=colm)
    assert Group.objects.count() == 1


def test_only_members_post_in_a_group_and_its_feed_is_its_own(ines, colm):
    group, _ = group_create(name="Bottling line", by=ines)
    with pytest.raises(PostNotAllowed, match="Join “Bottling line”"):
        post_create(author=colm, text="Hello", group=group)
    in_group = make_post(ines, text="Line 3 is back", group=group)
    company = make_post(ines, text="Company news")
    assert [p.pk for p in feed_page(viewer=colm, group=group).all] == [in_group.pk]
    assert [p.pk for p in feed_page(viewer=colm).all] == [company.pk]


def test_pinned_posts_come_first_and_only_moderators_pin(ines, colm):
    old = make_post(ines, text="Old but important")
    new = make_post(ines, text="New")
    with pytest.raises(PostNotAllowed):
        post_pin(post=old, by=colm)
    post_pin(post=old, by=moderator())
    page = feed_page(viewer=colm)
    assert [p.pk for p in page.all] == [old.pk, new.pk]


# --- The feed's pages ---------------------------------------------------------------------------------


def test_the_feed_pages_on_with_a_cursor_and_never_repeats_or_skips(ines):
    from django.utils import timezone

    posts = [make_post(ines, text=f"Post {n}") for n in range(PAGE_SIZE * 2 + 3)]
    # Ties on the time: the id breaks them.
    Post.objects.filter(pk__in=[p.pk for p in posts[:10]]).update(created_at=timezone.now())
    seen, cursor = [], ""
    while True:
        page = feed_page(viewer=ines, cursor=cursor)
        seen += [p.pk for p in page.posts]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(p.pk for p in posts)
    assert len(seen) == len(set(seen))


def test_a_mangled_cursor_starts_at_the_top(ines, client):
    make_post(ines, text="Top post")
    client.force_login(ines)
    for cursor in ("x", "99999999999999999999-1", "-", "1-x", "123"):
        response = client.get(reverse("intranet:feed"), {"before": cursor})
        assert response.status_code == 200
        assert "Top post" in response.content.decode()


def test_the_feed_page_costs_the_same_few_queries_for_many_posts(ines, colm, client, django_assert_max_num_queries):
    group, _ = group_create(name="Lab", by=ines)
    for n in range(PAGE_SIZE + 5):
        post = make_post(ines, text=f"Post {n} for @colm.reader", images=[jpeg(size=(40, 30))] if n % 5 == 0 else ())
        comment_create(post=post, author=colm, text="Nice")
        post_react(post=post, user=colm, kind="like")
    post_pin(post=post, by=moderator())
    client.force_login(colm)
    client.get(reverse("intranet:feed"))  # warm the roles cache and the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("intranet:feed"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-3 post"') == PAGE_SIZE + 1  # the pinned one too
    with django_assert_max_num_queries(12):
        assert client.get(reverse("intranet:group_feed", args=[group.slug])).status_code == 200


# --- Pages ----------------------------------------------------------------------------------------------


def test_an_employee_posts_from_the_feed_with_an_image(ines, client):
    client.force_login(ines)
    page = client.get(reverse("intranet:feed")).content.decode()
    token = page.split('name="submit_token" value="')[1].split('"')[0]
    data = {"text": "Fresh **lime** cans", "submit_token": token, "images": [jpeg()]}
    response = client.post(reverse("intranet:post_new"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("intranet:feed")
    response = client.post(reverse("intranet:post_new"), {"text": "Fresh **lime** cans", "submit_token": token})
    assert Post.objects.count() == 1
    feed = client.get(reverse("intranet:feed")).content.decode()
    post = Post.objects.get()
    assert "<strong>lime</strong>" in feed
    image = post.images.get()
    assert reverse("intranet:post_image", args=[image.pk]) in feed
    response = client.get(reverse("intranet:post_image", args=[image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_refused_image_shows_a_clear_message_and_writes_nothing(ines, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ines)
    bad = SimpleUploadedFile("cans.jpg", b"not an image at all")
    response = client.post(reverse("intranet:post_new"), {"text": "Look", "images": [bad]})
    assert response.status_code == 400
    assert "This file is not an image we can read" in response.content.decode()
    assert not Post.objects.exists()


def test_someone_elses_post_or_comment_cannot_be_edited_or_deleted_by_url(ines, colm, client):
    post = make_post(ines, text="Mine")
    comment, _ = comment_create(post=post, author=ines, text="Also mine")
    client.force_login(colm)
    assert client.get(reverse("intranet:post_edit", args=[post.pk])).status_code == 403
    assert client.post(reverse("intranet:post_edit", args=[post.pk]), {"text": "Taken"}).status_code == 403
    assert client.post(reverse("intranet:post_delete", args=[post.pk]), {"confirm": "1"}).status_code == 403
    assert client.post(reverse("intranet:comment_edit", args=[comment.pk]), {"text": "Taken"}).status_code == 403
    assert client.post(reverse("intranet:comment_delete", args=[comment.pk]), {"confirm": "1"}).status_code == 403
    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.text == "Mine"
    assert comment.text == "Also mine"


def test_the_author_edits_and_deletes_from_the_pages(ines, client):
    post = make_post(ines, text="Frist")
    client.force_login(ines)
    assert client.post(reverse("intranet:post_edit", args=[post.pk]), {"text": "First"}).status_code == 302
    page = client.get(reverse("intranet:post_detail", args=[post.pk])).content.decode()
    assert "First" in page
    assert ">edited<" in page
    asked = client.post(reverse("intranet:post_delete", args=[post.pk]))
    assert asked.status_code == 200
    assert "Delete this post?" in asked.content.decode()
    assert Post.objects.exists()
    assert client.post(reverse("intranet:post_delete", args=[post.pk]), {"confirm": "1"}).status_code == 302
    assert not Post.objects.exists()


def test_reactions_from_the_page(ines, colm, client):
    post = make_post(ines)
    client.force_login(colm)
    url = reverse("intranet:post_react", args=[post.pk])
    client.post(url, {"kind": "insightful"})
    page = client.get(reverse("intranet:post_detail", args=[post.pk])).content.decode()
    assert 'value="remove" aria-pressed="true" title="Take your reaction back">Insightful 1' in page
    client.post(url, {"action": "remove"})
    client.post(url, {"kind": "nonsense"})
    assert not PostReaction.objects.exists()


def test_groups_pages(ines, colm, client):
    client.force_login(ines)
    response = client.post(reverse("intranet:group_new"), {"name": "Night shift", "description": "Coffee and cans"})
    group = Group.objects.get()
    assert response["Location"] == reverse("intranet:group_feed", args=[group.slug])
    client.force_login(colm)
    page = client.get(reverse("intranet:group_feed", args=[group.slug])).content.decode()
    assert "Join the group" in page
    assert 'name="text"' not in page
    client.post(reverse("intranet:group_membership", args=[group.slug]))
    page = client.get(reverse("intranet:group_feed", args=[group.slug])).content.decode()
    assert "Leave the group" in page
    assert 'name="text"' in page
    response = client.post(reverse("intranet:post_new"), {"text": "Hi night owls", "group": group.slug})
    assert response["Location"] == reverse("intranet:group_feed", args=[group.slug])
    assert Post.objects.get().group == group
    assert "Night shift" in client.get(reverse("intranet:groups")).content.decode()


def test_the_intranet_home_links_the_feed(ines, client):
    client.force_login(ines)
    page = client.get(reverse("intranet:home")).content.decode()
    assert reverse("intranet:feed") in page
    assert reverse("intranet:groups") in page


def test_the_feeds_list_the_groups_one_belongs_to(ines, colm, client):
    lab, _ = group_create(name="Flavour lab", by=ines)
    group_create(name="Night shift", by=colm)
    client.force_login(ines)

    side = client.get(reverse("intranet:feed")).content.decode().split('id="my-groups"')[1]
    assert f'href="{reverse("intranet:group_feed", args=[lab.slug])}">Flavour lab</a>' in side
    assert "Night shift" not in side  # not a member

    in_group = client.get(reverse("intranet:group_feed", args=[lab.slug])).content.decode()
    assert "<strong>Flavour lab</strong>" in in_group.split('id="my-groups"')[1]  # where one is, not a link


def test_the_intranet_home_shows_the_newest_visible_posts_as_text(ines, colm, client):
    make_post(author=ines, text="Old news from **line 2**.")
    make_post(author=ines, text="Cherry Fizz is **back** <script>alert(1)</script>")
    hidden = make_post(author=colm, text="Something rude")
    content_hide(item=hidden, by=moderator(), reason="Rude")
    client.force_login(colm)

    latest = client.get(reverse("intranet:home")).content.decode().split('id="latest-posts"')[1].split("</ul>")[0]

    assert "Cherry Fizz is back &lt;script&gt;alert(1)&lt;/script&gt;" in latest  # as written, shown as text
    assert latest.index("Cherry Fizz") < latest.index("Old news from line 2.")
    assert "Something rude" not in latest
