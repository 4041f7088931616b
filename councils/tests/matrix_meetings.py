"""Permission-matrix rows for the councils' meeting pages and API (see dashboard/tests/test_permission_matrix.py).

Managers hold councils.manage_councils (insights staff and admins by default). Nobody in the matrix sits on a
council (no Term), so a council member's role alone opens nothing; executives see the meetings they attend.
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

NO_MEETING = {"pk": 999999}

ROWS = {
    # A council's meetings: managers, its members, executives (the meetings they attend).
    # No data needed (a transactional test may have emptied the tables): "board" is no council, so those who
    # could see a council's meetings get 404 and everyone else 403 (councils/tests/test_meetings_pages.py).
    "councils:council_meetings": ({"council": "board"}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE, ok=404)),
    "councils:meeting_new": ({"council": "board"}, allow(Role.INSIGHTS_STAFF, ok=404)),
    "councils:my_meetings": ({}, everyone(200, anon=302)),
    "councils:my_action_items": ({}, everyone(200, anon=302)),
    # The emailed answer link: its signed token is the guard; a bad one is 404 for everyone.
    "councils:meeting_answer": ({"token": "not-a-real-token"}, everyone(404)),
    # No such meeting: 404 for everyone signed in (managers' edit page looks it up too).
    "councils:meeting": (NO_MEETING, everyone(404, anon=302)),
    "councils:meeting_ics": (NO_MEETING, everyone(404, anon=302)),
    "councils:meeting_minutes": (NO_MEETING, everyone(404, anon=302)),
    "councils:action_item_new": (NO_MEETING, everyone(404, anon=302)),
    "councils:meeting_edit": (NO_MEETING, allow(Role.INSIGHTS_STAFF, ok=404)),
    "councils:meeting_cancel": (NO_MEETING, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "councils:meeting_respond": (NO_MEETING, everyone(405, anon=302)),  # POST only
    "councils:meeting_held": (NO_MEETING, everyone(405, anon=302)),  # POST only
    "councils:action_item_status": ({"pk": 999999}, everyone(405, anon=302)),  # POST only
    # API
    "api:council-meetings": ({"council": "board"}, allow(Role.INSIGHTS_STAFF, Role.EXECUTIVE, anon=401, ok=404)),
    "api:meeting": (NO_MEETING, everyone(404, anon=401)),
    "api:meeting-ics": (NO_MEETING, everyone(404, anon=401)),
    "api:meeting-action-items": (NO_MEETING, everyone(405)),  # POST only: 405 before authentication
    "api:action-item": ({"pk": 999999}, everyone(405)),  # PATCH only
}
