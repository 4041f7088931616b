"""Who may see and do what in the councils (DESIGN.md, "Who uses it").

- A council's members (a current term) see their council's pages, meetings and reports; not the
  other council's private pages unless they sit there too.
- Holders of `councils.manage_councils` (insights staff and admins by default) nominate, schedule
  meetings and publish reports, for both councils.
- Executives read the quarterly reports, and the meetings they attend.
"""

from accounts.roles import Role, has_permission, has_role
from councils.models import Council, Term

MANAGE = "councils.manage_councils"


def can_manage(user) -> bool:
    return has_permission(user, MANAGE)


def is_member(user, council: Council) -> bool:
    """True while `user` holds a current seat on `council`."""
    if not (user and user.is_authenticated):
        return False
    return Term.objects.filter(council=council, user=user, vacated_at__isnull=True).exists()


def can_view_council(user, council: Council) -> bool:
    """The council's private pages: its members and its managers."""
    return can_manage(user) or is_member(user, council)


def can_read_reports(user, council: Council) -> bool:
    """A council's quarterly reports: its members, its managers and executives."""
    return has_role(user, Role.EXECUTIVE) or can_view_council(user, council)
