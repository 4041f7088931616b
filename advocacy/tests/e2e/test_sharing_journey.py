"""An ambassador logs a share: the address must be a post's, and its network decides the channel."""

import pytest

from advocacy.models import Activity
from advocacy.tests.factories import MembershipFactory
from insights.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_share_earns_once_for_a_real_post_and_never_for_markup_or_a_wrong_channel(
    page, sign_in, make_user, channels, screenshot
):
    Channel.objects.get_or_create(slug="facebook", defaults={"name": "Facebook"})
    amy = MembershipFactory(user=make_user("amy.ambassador"))
    sign_in(amy.user)
    page.goto("/ambassador/activity/")
    assert page.get_by_label("Where you shared it").input_value() == ""  # nothing chosen for them

    def share(url, channel=None):
        page.get_by_label("Post URL").fill(url)
        page.get_by_label("Where you shared it").select_option(label=channel or "Tell from the address")
        page.get_by_role("button", name="Log my share").click()

    share("https://x.com/amy/status/1<script>alert(1)</script>")
    page.get_by_text("Enter the full address of the post").wait_for()
    screenshot(page, "markup-refused")

    share("https://www.facebook.com/amy/posts/42", channel="X / Twitter")
    page.get_by_text("That address is on Facebook, not X / Twitter").wait_for()
    screenshot(page, "wrong-channel")

    share("https://myblog.example/cherry-summer")
    page.get_by_text("Choose where you shared it").wait_for()

    share("https://x.com/amy/status/1790000000000000001")
    page.get_by_text("Thank you! +5 points.").wait_for()
    ledger = page.get_by_role("region", name="Your points, activity by activity")
    ledger.get_by_role("cell", name="X / Twitter", exact=False).wait_for()
    screenshot(page, "logged")

    share("https://x.com/amy/status/1790000000000000001")
    page.get_by_text("You already logged this post: it counts once.").wait_for()
    assert list(Activity.objects.values_list("kind", "channel__slug", "points")) == [("share", "twitter", 5)]
