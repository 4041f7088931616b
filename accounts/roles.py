"""The roles of DESIGN.md, stored as Django groups of the same name.

A user may hold several roles (an ambassador seated on a council is both).
`user.roles` loads them once per request; `has_role()` asks.
"""

from django.core.cache import cache
from django.db import models

# Roles are read on every page (navigation, guards): keep them in the cache.
# Changes to a user's groups clear the entry (accounts.signals); the TTL bounds
# staleness where a per-process cache cannot be cleared (embedded mode).
ROLES_CACHE_SECONDS = 300


class Role(models.TextChoices):
    INSIGHTS_STAFF = "insights_staff", "Insights staff"
    EMPLOYEE = "employee", "Employee"
    AMBASSADOR = "ambassador", "Ambassador"
    COUNCIL_MEMBER = "council_member", "Council member"
    EXECUTIVE = "executive", "Executive"
    ADMIN = "admin", "Admin"


# A user with several roles lands on the home (declared by the apps, see core.registry) of the first one here.
HOME_PRECEDENCE = [Role.ADMIN, Role.INSIGHTS_STAFF, Role.EXECUTIVE, Role.COUNCIL_MEMBER, Role.EMPLOYEE, Role.AMBASSADOR]


def _roles_cache_key(user_id) -> str:
    return f"accounts:roles:{user_id}"


def user_roles(user) -> frozenset[str]:
    """The role names of `user`, cached on the object and in the cache. Superusers count as admins.

    The user's Django permissions (through their groups) are cached with them, and primed
    where Django's auth backend looks for them, so `has_perm` costs no query either.
    """
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_rapport_roles", None)
    if cached is None:
        key = _roles_cache_key(user.pk)
        entry = cache.get(key)
        if entry is None:
            names = list(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
            entry = (names, sorted(user.get_all_permissions()))
            cache.set(key, entry, ROLES_CACHE_SECONDS)
        names, perms = entry
        if not hasattr(user, "_perm_cache"):
            user._perm_cache = set(perms)  # django.contrib.auth.backends.ModelBackend reads this
        held = set(names)
        if user.is_superuser:
            held.add(Role.ADMIN)
        cached = frozenset(held)
        user._rapport_roles = cached
    return cached


def user_roles_forget(*user_ids) -> None:
    """Drop cached roles, after a change to these users' groups."""
    cache.delete_many([_roles_cache_key(user_id) for user_id in user_ids])


def has_role(user, *roles: str) -> bool:
    """True when `user` holds any of `roles`. Admins hold every role's access."""
    held = user_roles(user)
    return Role.ADMIN in held or any(role in held for role in roles)


def has_permission(user, permission: str) -> bool:
    """True when `user` holds the Django permission "app.codename" (through a group). Admins hold all."""
    return bool(user and user.is_authenticated) and (has_role(user, Role.ADMIN) or user.has_perm(permission))
