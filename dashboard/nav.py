"""What the dashboard adds to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry("Dashboard", "dashboard:staff", order=10, roles=(Role.INSIGHTS_STAFF, Role.EXECUTIVE)),
    NavEntry("Admin", "admin:index", order=90, roles=(Role.ADMIN,)),
]
ROLE_HOMES = {Role.ADMIN: "admin:index", Role.INSIGHTS_STAFF: "dashboard:staff"}
