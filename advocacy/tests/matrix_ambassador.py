"""Permission-matrix rows for the program's ambassador pages and API (see dashboard/tests/test_permission_matrix.py).

The matrix's users hold a role but no membership: ambassador pages answer them with a friendly
page (200), pages about one's own membership with 404, and someone else's story with 404.
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

ROWS = {
    "advocacy:portal": ({}, allow(Role.AMBASSADOR)),
    "advocacy:activity": ({}, allow(Role.AMBASSADOR)),
    "advocacy:leaderboard": ({}, allow(Role.AMBASSADOR, Role.INSIGHTS_STAFF)),
    "advocacy:story_new": ({}, allow(Role.AMBASSADOR)),
    "advocacy:my_story": ({"pk": 1}, allow(Role.AMBASSADOR, ok=404)),  # not their story
    # Members only, former members included (not by role): everyone else gets 404.
    "advocacy:privacy": ({}, everyone(404, anon=302)),
    "advocacy:privacy_download": ({}, everyone(404, anon=302)),
    "advocacy:privacy_erase": ({}, everyone(404, anon=302)),
    # The public stories page.
    "advocacy:stories": ({}, everyone(200)),
    "advocacy:story": ({"slug": "no-such-story"}, everyone(404)),
    # Program managers (advocacy.manage_program: insights staff and admins).
    "advocacy:program_stories": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:story_publish": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:story_decline": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:shout_outs": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:member_erase": ({"pk": 1}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
}
