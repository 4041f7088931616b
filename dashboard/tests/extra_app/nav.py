from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [NavEntry("Status", "healthz", order=45, roles=(Role.EMPLOYEE,))]
