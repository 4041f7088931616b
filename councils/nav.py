"""What the councils add to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry(
        "Councils", "councils:index", order=60, roles=(Role.COUNCIL_MEMBER,), permission="councils.manage_councils"
    ),
    NavEntry("Reports", "councils:reports", order=70, roles=(Role.EXECUTIVE, Role.COUNCIL_MEMBER)),
]
ROLE_HOMES = {Role.EXECUTIVE: "councils:reports", Role.COUNCIL_MEMBER: "councils:index"}
