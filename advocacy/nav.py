"""What the ambassador program adds to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry("Program", "advocacy:program", order=30, permission="advocacy.manage_program"),
    NavEntry("Ambassador portal", "advocacy:portal", order=50, roles=(Role.AMBASSADOR,)),
]
ROLE_HOMES = {Role.AMBASSADOR: "advocacy:portal"}
