"""Permission-matrix rows for posts, groups and moderation (collected with matrix.py)."""

from accounts.roles import Role
from accounts.tests.matrix import allow

# Posts, groups and moderation (intranet.post_views, intranet.post_api).
ROWS = {
    "intranet:feed": ({}, allow(Role.EMPLOYEE)),
    "intranet:post_new": ({}, allow(Role.EMPLOYEE)),
    "intranet:post_detail": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such post
    "intranet:post_edit": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:post_delete": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:post_react": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:post_pin": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:post_comment": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:post_image": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),  # no such image
    "intranet:comment_edit": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:comment_delete": ({"pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:groups": ({}, allow(Role.EMPLOYEE)),
    "intranet:group_new": ({}, allow(Role.EMPLOYEE)),
    "intranet:group_feed": ({"slug": "no-such-group"}, allow(Role.EMPLOYEE, ok=404)),
    "intranet:group_membership": ({"slug": "no-such-group"}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:content_report": ({"kind": "post", "pk": 999999}, allow(Role.EMPLOYEE, ok=404)),
    # Moderators only: a plain employee is refused; admins (who hold every permission) see the queue.
    "intranet:report_queue": ({}, allow(ok=200)),
    "intranet:content_hide": ({"kind": "post", "pk": 999999}, allow(ok=404)),
    "intranet:content_unhide": ({"kind": "post", "pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "intranet:report_dismiss": ({"kind": "post", "pk": 999999}, allow(Role.EMPLOYEE, ok=405)),  # POST only
    "api:posts": ({}, allow(Role.EMPLOYEE, anon=401)),
}
