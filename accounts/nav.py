"""What accounts adds to the navigation (see core.registry)."""

from accounts.roles import Role
from core.registry import NavEntry

NAV_ENTRIES = [
    NavEntry("API keys", "accounts:api_keys", order=80, roles=(Role.INSIGHTS_STAFF,)),
]
