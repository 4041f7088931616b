"""What the ambassador program adds to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry("Program", "advocacy:program", order=30, permission="advocacy.manage_program"),
    # Read-only holders (e.g. a council's group); a user holding both sees one entry (dashboard.navigation).
    NavEntry("Program", "advocacy:program", order=30, permission="advocacy.read_program"),
    NavEntry("Ambassador portal", "advocacy:portal", order=50, roles=(Role.AMBASSADOR,)),
]
ROLE_HOMES = {Role.AMBASSADOR: "advocacy:portal"}
