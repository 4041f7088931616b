"""What insights adds to the navigation (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry("Insights", "insights:inbox", order=20, roles=(Role.INSIGHTS_STAFF,)),
    # The registry shows entries by role, not by membership: employees in no department get an
    # honest empty list there.
    NavEntry("Departments", "departments:list", order=75, roles=(Role.INSIGHTS_STAFF, Role.EMPLOYEE)),
]
