"""Permission-matrix rows for the program's referrals pages and API (see dashboard/tests/test_permission_matrix.py).

Program-manager pages need the permission advocacy.manage_program, which insights staff and admins hold.
"""

from accounts.roles import Role
from accounts.tests.matrix import allow, everyone

NO_KIT = {"pk": 999999}
NO_ASSET = {"pk": 999999, "asset_pk": 999999}

ROWS = {
    "advocacy:referral": ({"code": "NoSuchCode"}, everyone(302)),  # to ADVOCACY_FALLBACK_URL, the brand's site
    # ambassadors: the role without a membership (as here) or an unknown kit gets 404
    "advocacy:ambassador_kit": (NO_KIT, allow(Role.AMBASSADOR, ok=404)),
    "advocacy:ambassador_kit_asset": (NO_ASSET, allow(Role.AMBASSADOR, ok=404)),
    # program managers
    "advocacy:kits": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:kit_create": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:kit_edit": (NO_KIT, allow(Role.INSIGHTS_STAFF, ok=404)),
    "advocacy:kit_archive": (NO_KIT, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:kit_asset_create": (NO_KIT, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:kit_asset_download": (NO_ASSET, allow(Role.INSIGHTS_STAFF, ok=404)),
    "advocacy:kit_asset_remove": (NO_ASSET, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:kit_post_create": (NO_KIT, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:kit_post_remove": ({"pk": 999999, "post_pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),
    "advocacy:referral_report": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:referral_review": ({}, allow(Role.INSIGHTS_STAFF)),
    "advocacy:referral_review_conversion": (NO_KIT, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    "advocacy:referral_review_flood": ({"link_pk": 999999}, allow(Role.INSIGHTS_STAFF, ok=405)),  # POST only
    # API
    "api:referral-conversions": ({}, everyone(405)),  # POST only
    "api:kits": ({}, allow(Role.INSIGHTS_STAFF, anon=401)),
}
