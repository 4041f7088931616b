"""Reads of the organisation that pages, the API and other apps share."""

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from accounts.models import Department, Notification, User
from accounts.roles import Role, has_role


def department_list() -> QuerySet[Department]:
    """Every department by name, with its lead and its members (by email): two queries however many."""
    return Department.objects.select_related("lead").prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("email"))
    )


def departments_of(*, user: User) -> QuerySet[Department]:
    """The departments `user` belongs to, as `department_list()` gives them."""
    return department_list().filter(memberships__user=user)


def departments_visible_to(*, user: User) -> QuerySet[Department]:
    """What `user` may open: insights staff (and admins) every department, everyone else their own."""
    if has_role(user, Role.INSIGHTS_STAFF):
        return department_list()
    return departments_of(user=user)


# The unread count shows in the navigation on every page: kept in the cache, forgotten on each change.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id) -> str:
    return f"accounts:unread:{user_id}"


def notifications_unread_count(*, user: User) -> int:
    """How many of `user`'s notifications are unread (a cache read on most pages)."""
    count = cache.get(_unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(_unread_key(user.pk), count, UNREAD_CACHE_SECONDS)
    return count


def notifications_unread_forget(*user_ids) -> None:
    """Drop cached unread counts after these users' notifications changed."""
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """`user`'s notifications, newest first."""
    return Notification.objects.filter(user=user)


def users_with_role(role: str) -> QuerySet[User]:
    """Active users who hold `role`, by name: the people a form may pick (a channel's owner, an assignee)."""
    return User.objects.filter(is_active=True, groups__name=role).order_by("name", "email")
