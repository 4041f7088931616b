"""What accounts adds to the navigation (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    # The registry shows entries by role, not by membership: employees in no department get an
    # honest empty list there.
    NavEntry("Departments", "accounts:departments", order=75, roles=(Role.INSIGHTS_STAFF, Role.EMPLOYEE)),
    NavEntry("API keys", "accounts:api_keys", order=80, roles=(Role.INSIGHTS_STAFF,)),
]
