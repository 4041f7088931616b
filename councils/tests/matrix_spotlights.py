"""Permission-matrix rows for the spotlights: public pages for everyone (no sign-in), writers' pages for holders
of councils.publish_spotlights (the Customer council's group; in the matrix, admins), the employee's own pages."""

from accounts.tests.matrix import allow, everyone

NO_SPOTLIGHT = {"pk": 999999}

ROWS = {
    "councils:spotlights": ({}, everyone(200)),
    "councils:spotlight": ({"slug": "no-such-spotlight"}, everyone(404)),
    "councils:spotlight_photo": ({"slug": "no-such-spotlight"}, everyone(404)),
    "councils:spotlights_manage": ({}, allow()),
    "councils:spotlight_new": ({}, allow()),
    "councils:spotlight_edit": (NO_SPOTLIGHT, allow(ok=404)),
    "councils:spotlight_request_consent": (NO_SPOTLIGHT, allow(ok=405)),  # POST only
    "councils:spotlight_publish": (NO_SPOTLIGHT, allow(ok=405)),  # POST only
    "councils:spotlight_unpublish": (NO_SPOTLIGHT, allow(ok=405)),  # POST only
    "councils:my_spotlights": ({}, everyone(200, anon=302)),
    "councils:spotlight_consent": (NO_SPOTLIGHT, everyone(404, anon=302)),  # the employee's own only
    "councils:spotlight_withdraw": (NO_SPOTLIGHT, everyone(405, anon=302)),  # POST only
}
