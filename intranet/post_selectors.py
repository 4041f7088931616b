"""Reads for posts: the company feed and each group's feed (keyset pages on the feed indexes), one post with
its comments, who may moderate, what a viewer may see of hidden content, the moderators' report queue, and
the posts API's page.

A feed page costs a fixed number of queries whatever its length: the page of posts (with authors and
groups), then one query each for their images, their comment counts, their reaction counts and the
viewer's own reactions, only for the posts shown.
"""

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags

from accounts.models import User
from accounts.roles import Role, has_permission
from intranet.markup import MENTION
from intranet.models import ContentReport, Group, GroupMembership, IdeaComment, Post, PostComment, PostReaction

MODERATE = "intranet.moderate_intranet"
PAGE_SIZE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def post_may_moderate(*, user) -> bool:
    """Hide and unhide posts and comments, pin posts, work the report queue: holders of
    `intranet.moderate_intranet` (the Customer Advisory Council, later), staff and admins."""
    return bool(user and user.is_authenticated) and (bool(user.is_staff) or has_permission(user, MODERATE))


def content_visible_to(item, *, user) -> bool:
    """Whether `user` sees what a post or comment says: anyone while it is not hidden; once hidden, only its
    author (with the moderator's reason) and moderators. Everyone else sees "hidden by a moderator"."""
    if not item.is_hidden:
        return True
    return item.author_id == getattr(user, "pk", None) or post_may_moderate(user=user)


# --- Feeds ----------------------------------------------------------------------------------------------


def cursor_encode(post: Post) -> str:
    """Where the next page starts: the last post's time (in whole microseconds, exact) and id."""
    return f"{(post.created_at - _EPOCH) // timedelta(microseconds=1)}-{post.pk}"


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    """(created_at, id) of a cursor, or None when it is not one (then the feed starts at the top)."""
    micros, _, pk = (cursor or "").partition("-")
    if not (micros.isdigit() and pk.isdigit() and len(micros) <= 18 and len(pk) <= 18):
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


@dataclass
class FeedPage:
    pinned: list[Post]
    posts: list[Post]
    next_cursor: str = ""
    first: bool = True

    @property
    def all(self) -> list[Post]:
        return [*self.pinned, *self.posts]


def _feed_posts() -> QuerySet[Post]:
    return Post.objects.select_related("author", "group", "hidden_by").prefetch_related(
        Prefetch("images", to_attr="image_list")
    )


def feed_page(*, viewer, group: Group | None = None, cursor: str = "", size: int = PAGE_SIZE) -> FeedPage:
    """One page of the company feed (posts in no group) or of `group`'s feed, newest first, pinned posts
    first on the first page. `cursor` (from the previous page) is where it goes on: a keyset on
    (created_at, id) that walks the feed's index, never an OFFSET."""
    posts = _feed_posts().filter(group=group)
    position = cursor_decode(cursor)
    pinned = []
    stream = posts.filter(pinned_at__isnull=True).order_by("-created_at", "-id")
    if position is None:
        pinned = list(posts.filter(pinned_at__isnull=False).order_by("-pinned_at")[:10])
    else:
        at, pk = position
        # The first condition lets the index start at the cursor; the second breaks ties on the id.
        stream = stream.filter(Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=pk)))
    rows = list(stream[: size + 1])
    page = FeedPage(pinned=pinned, posts=rows[:size], first=position is None)
    if len(rows) > size:
        page.next_cursor = cursor_encode(rows[size - 1])
    posts_decorate(page.all, viewer=viewer)
    return page


def posts_decorate(posts: list[Post], *, viewer) -> list[Post]:
    """Give each post what its card shows, in three queries for the lot: `comment_count`, `reaction_counts`
    ([(kind, label, count)] for every kind), `my_reaction` (the viewer's kind or ""), `shown` (whether the
    viewer may read it) and `edited`."""
    ids = [post.pk for post in posts]
    comments, reactions, mine = {}, {}, {}
    if ids:
        comments = dict(
            PostComment.objects.filter(post_id__in=ids)
            .order_by()
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
        )
        for post_id, kind, n in (
            PostReaction.objects.filter(post_id__in=ids)
            .order_by()
            .values("post_id", "kind")
            .annotate(n=Count("id"))
            .values_list("post_id", "kind", "n")
        ):
            reactions.setdefault(post_id, {})[kind] = n
        mine = dict(PostReaction.objects.filter(post_id__in=ids, user_id=viewer.pk).values_list("post_id", "kind"))
    moderator = post_may_moderate(user=viewer)
    for post in posts:
        post.comment_count = comments.get(post.pk, 0)
        counts = reactions.get(post.pk, {})
        post.reaction_counts = [(kind, label, counts.get(kind, 0)) for kind, label in PostReaction.Kind.choices]
        post.reaction_total = sum(counts.values())
        post.my_reaction = mine.get(post.pk, "")
        post.shown = not post.is_hidden or post.author_id == viewer.pk or moderator
        if not hasattr(post, "image_list"):
            post.image_list = list(post.images.all())
    return posts


def post_get(*, pk: int) -> Post | None:
    return _feed_posts().filter(pk=pk).first()


def post_comments(*, post: Post, viewer) -> list[PostComment]:
    """The post's comments, oldest first, each with `shown` for the viewer (hidden ones show their reason to
    their author)."""
    comments = list(post.comments.select_related("author", "hidden_by"))
    moderator = post_may_moderate(user=viewer)
    for comment in comments:
        comment.shown = not comment.is_hidden or comment.author_id == viewer.pk or moderator
    return comments


def image_visible(*, image_pk: int, viewer):
    """A post image the viewer may see (its post not hidden from them), or None."""
    from intranet.models import PostImage

    image = PostImage.objects.select_related("post").filter(pk=image_pk).first()
    if image is None or not content_visible_to(image.post, user=viewer):
        return None
    return image


# --- Groups ---------------------------------------------------------------------------------------------


def groups_list() -> QuerySet[Group]:
    """Every group, by name, with `member_count` and `post_count`."""

    # Two subqueries, not two joins: joining members and posts at once would multiply their rows.
    def count_of(model):
        rows = model.objects.filter(group=OuterRef("pk")).order_by().values("group").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n")), 0)

    return Group.objects.annotate(member_count=count_of(GroupMembership), post_count=count_of(Post)).order_by("name")


def groups_of(*, user) -> set[int]:
    return set(GroupMembership.objects.filter(user_id=user.pk).values_list("group_id", flat=True))


def posts_latest(*, limit: int) -> list[Post]:
    """The newest posts of the company feed that no moderator hid (the intranet home), each with `summary`:
    its rendered text without markup, as a reader sees it (to be escaped again where it is shown)."""
    visible = Post.objects.filter(group=None, hidden_at__isnull=True).select_related("author")
    posts = list(visible.order_by("-created_at", "-id")[:limit])
    for post in posts:
        post.summary = " ".join(html.unescape(strip_tags(post.html)).split())
    return posts


def groups_joined(*, user) -> QuerySet[Group]:
    """The groups `user` belongs to, by name (the feeds' side column)."""
    return Group.objects.filter(memberships__user_id=user.pk).order_by("name")


def group_is_member(*, group: Group, user) -> bool:
    return GroupMembership.objects.filter(group=group, user_id=user.pk).exists()


# --- Mentions -------------------------------------------------------------------------------------------


def people_by_handle(handles) -> dict[str, User]:
    """The active employees whose work address starts with each handle ("ines.author" for
    ines.author@carlssoda.example). A handle that two employees share (two company domains) names nobody."""
    handles = sorted({h.lower() for h in handles})
    if not handles:
        return {}
    query = Q()
    for handle in handles:
        query |= Q(email__istartswith=f"{handle}@")
    found: dict[str, list[User]] = {}
    for user in User.objects.filter(query, is_active=True, groups__name=Role.EMPLOYEE).distinct():
        found.setdefault(user.email.rsplit("@", 1)[0].lower(), []).append(user)
    return {handle: users[0] for handle, users in found.items() if len(users) == 1}


# --- Moderation -----------------------------------------------------------------------------------------

REPORT_KINDS = {"post": "post", "comment": "comment", "idea-comment": "idea_comment"}
KIND_OF = {Post: "post", PostComment: "comment", IdeaComment: "idea-comment"}


def content_get(*, kind: str, pk: int):
    """The post, post comment or idea comment that `kind` ("post", "comment", "idea-comment") and `pk` name."""
    model = {"post": Post, "comment": PostComment, "idea-comment": IdeaComment}.get(kind)
    if model is None:
        return None
    query = model.objects.select_related("author")
    if model is PostComment:
        query = query.select_related("post")
    return query.filter(pk=pk).first()


@dataclass
class QueueItem:
    kind: str
    item: object
    reports: list = field(default_factory=list)


def report_queue(*, limit: int = 200) -> list[QueueItem]:
    """Open reports, grouped by the content they are about, oldest report first."""
    reports = (
        ContentReport.objects.filter(outcome=ContentReport.Outcome.OPEN)
        .select_related(
            "reporter",
            "post__author",
            "post__group",
            "comment__author",
            "comment__post",
            "idea_comment__author",
            "idea_comment__idea",
        )
        .order_by("created_at", "id")[:limit]
    )
    items: dict[tuple, QueueItem] = {}
    for report in reports:
        for attribute, kind in (("post", "post"), ("comment", "comment"), ("idea_comment", "idea-comment")):
            target = getattr(report, attribute)
            if target is not None:
                items.setdefault((kind, target.pk), QueueItem(kind=kind, item=target)).reports.append(report)
    return list(items.values())


def report_open_count() -> int:
    return ContentReport.objects.filter(outcome=ContentReport.Outcome.OPEN).count()


# --- The API --------------------------------------------------------------------------------------------


def posts_for_api() -> QuerySet[Post]:
    """Posts that are not hidden, newest first, with their authors and groups (for names only)."""
    return Post.objects.filter(hidden_at__isnull=True).select_related("author", "group").order_by("-created_at", "-id")


def mentions_as_names(posts) -> dict[str, str]:
    """handle -> the person's name, for the mentions in these posts' texts (one query for the lot)."""
    handles = {match.lower() for post in posts for match in MENTION.findall(post.text)}
    return {handle: user.get_full_name() for handle, user in people_by_handle(handles).items()}


def intranet_activity(*, start: datetime, end: datetime) -> dict:
    """What happened on the intranet from `start` to `end` (half-open), hidden content left out: posts,
    comments (on posts and ideas), reactions, ideas, votes, and how many people wrote anything (the councils'
    quarterly reports)."""
    from intranet.models import Idea, IdeaVote

    period = {"created_at__gte": start, "created_at__lt": end}
    posts = Post.objects.filter(hidden_at__isnull=True, **period)
    post_comments = PostComment.objects.filter(hidden_at__isnull=True, **period)
    idea_comments = IdeaComment.objects.filter(hidden_at__isnull=True, **period)
    ideas = Idea.objects.filter(**period)
    # Each part unordered: the models' default ordering in a UNION's parts is refused by SQLite.
    writers = [qs.order_by().values("author") for qs in (posts, post_comments, idea_comments, ideas)]
    writers = writers[0].union(*writers[1:])
    return {
        "posts": posts.count(),
        "comments": post_comments.count() + idea_comments.count(),
        "reactions": PostReaction.objects.filter(**period).count(),
        "ideas": ideas.count(),
        "votes": IdeaVote.objects.filter(**period).count(),
        "people_writing": writers.count(),
    }
