"""The roles of DESIGN.md, stored as Django groups of the same name.

A user may hold several roles (an ambassador seated on a council is both).
`user.roles` loads them once per request; `has_role()` asks.
"""

from django.db import models


class Role(models.TextChoices):
    INSIGHTS_STAFF = "insights_staff", "Insights staff"
    EMPLOYEE = "employee", "Employee"
    AMBASSADOR = "ambassador", "Ambassador"
    COUNCIL_MEMBER = "council_member", "Council member"
    EXECUTIVE = "executive", "Executive"
    ADMIN = "admin", "Admin"


def user_roles(user) -> frozenset[str]:
    """The role names of `user`, cached on the object. Superusers count as admins."""
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_rapport_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names)
        user._rapport_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when `user` holds any of `roles`. Admins hold every role's access."""
    held = user_roles(user)
    return Role.ADMIN in held or any(role in held for role in roles)
