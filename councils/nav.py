"""What the councils add to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry
from councils.access import MANAGE

NAV_ENTRIES = [
    NavEntry("Councils", "councils:index", order=60, roles=(Role.COUNCIL_MEMBER,), permission=MANAGE),
    # Meetings: council members, executives (the meetings they attend) and the councils' managers.
    NavEntry(
        "Meetings", "councils:my_meetings", order=65, roles=(Role.EXECUTIVE, Role.COUNCIL_MEMBER), permission=MANAGE
    ),
    NavEntry("Reports", "councils:reports", order=70, roles=(Role.EXECUTIVE, Role.COUNCIL_MEMBER), permission=MANAGE),
]
ROLE_HOMES = {Role.EXECUTIVE: "councils:reports", Role.COUNCIL_MEMBER: "councils:index"}
