"""Reads of the organisation that pages, the API and other apps share."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Department, User
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


def users_with_role(role: str) -> QuerySet[User]:
    """Active users who hold `role`, by name: the people a form may pick (a channel's owner, an assignee)."""
    return User.objects.filter(is_active=True, groups__name=role).order_by("name", "email")
