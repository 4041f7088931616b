"""Pages of the listening half, one module per area; each module lists its own `urlpatterns`."""

from accounts.decorators import role_required
from accounts.roles import Role

PAGE_SIZE = 50

staff_only = role_required(Role.INSIGHTS_STAFF)
