"""Permission-matrix rows for the councils' seat pages and API (see dashboard/tests/test_permission_matrix.py).

Managers (insights staff, admins: `councils.manage_councils`) see both councils; a council member sees
only the councils they sit on (the matrix's council member sits on none, so the council pages are 403).
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

MANAGERS = (Role.INSIGHTS_STAFF,)

ROWS = {
    "councils:index": ({}, allow(Role.COUNCIL_MEMBER, *MANAGERS)),
    # No data needed (a transactional test may have emptied the tables): "board" is no council, so managers get
    # 404 and everyone else 403, as for a real council they do not sit on (councils/tests/test_seats_pages.py).
    "councils:council": ({"kind": "board"}, allow(*MANAGERS, ok=404)),
    "councils:nominate": ({"kind": "brand"}, allow(*MANAGERS, ok=405)),  # POST only
    "councils:nomination_withdraw": ({"kind": "brand", "pk": 999999}, allow(*MANAGERS, ok=405)),
    "councils:term_chair": ({"kind": "brand", "pk": 999999}, allow(*MANAGERS, ok=405)),
    "councils:term_vacate": ({"kind": "brand", "pk": 999999}, allow(*MANAGERS, ok=405)),
    "councils:nomination": ({"token": "not-a-real-token"}, everyone(404, anon=302)),
    "api:councils": ({}, allow(Role.COUNCIL_MEMBER, *MANAGERS, anon=401)),
    "api:council": ({"kind": "board"}, allow(*MANAGERS, anon=401, ok=404)),
    "api:council-history": ({"kind": "board"}, allow(*MANAGERS, anon=401, ok=404)),
    "api:council-nominations": ({"kind": "brand"}, everyone(405)),  # POST only
}
