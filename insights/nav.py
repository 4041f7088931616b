"""What insights adds to the navigation (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [NavEntry("Insights", "insights:inbox", order=20, roles=(Role.INSIGHTS_STAFF,))]
