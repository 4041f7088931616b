"""What the intranet adds to the navigation and the role homes (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [NavEntry("Intranet", "intranet:home", order=40, roles=(Role.EMPLOYEE,))]
ROLE_HOMES = {Role.EMPLOYEE: "intranet:home"}
