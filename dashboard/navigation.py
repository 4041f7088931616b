"""The main navigation and each role's home, from what every app declares (core.registry)."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.roles import HOME_PRECEDENCE, has_permission, has_role, user_roles
from core.registry import NavEntry, nav_entries, role_homes


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active: bool


def _may_see(user, entry: NavEntry) -> bool:
    return bool(entry.roles and has_role(user, *entry.roles)) or bool(
        entry.permission and has_permission(user, entry.permission)
    )


def nav_links(*, user, path: str) -> list[NavLink]:
    """The entries `user` may use, the one whose section holds `path` marked active."""
    if not user.is_authenticated:
        return []
    links, seen = [], set()
    for entry in nav_entries():
        if _may_see(user, entry):
            url = reverse(entry.url_name)
            if url not in seen:  # several entries may open one page to different holders
                seen.add(url)
                links.append(NavLink(entry.label, url, path.startswith(url)))
    return links


def home_url_name(user) -> str | None:
    """Where `user` lands: the home of the first role they hold, in HOME_PRECEDENCE order."""
    held, homes = user_roles(user), role_homes()
    return next((homes[role] for role in HOME_PRECEDENCE if role in held and role in homes), None)
