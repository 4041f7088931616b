"""Every program and ambassador page fits a 390 px phone: nothing wider than the screen to scroll sideways."""

import pytest

from advocacy.demo import demo_program_seed
from advocacy.models import Kit, Membership
from advocacy.services.recognition import story_submit
from insights.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world(demo_users, channels):
    for slug, name in [("instagram", "Instagram"), ("facebook", "Facebook"), ("review-site", "Review sites")]:
        Channel.objects.get_or_create(slug=slug, defaults={"name": name})
    demo_program_seed()
    return demo_users


def too_wide(page, paths, screenshot) -> dict[str, int]:
    wide = {}
    for path in paths:
        assert page.goto(path).ok, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            wide[path] = width
            screenshot(page, path.strip("/").replace("/", "-"))
    return wide


def test_program_pages_fit_a_phone(phone, sign_in, demo_world, screenshot):
    member = Membership.objects.order_by("pk").first()
    kit = Kit.objects.order_by("pk").first()
    sign_in(demo_world["ana.insights"], on=phone)

    paths = ["/program/", "/program/invitations/", f"/program/members/{member.pk}/", "/program/kits/",
             "/program/kits/new/", f"/program/kits/{kit.pk}/", "/program/referrals/", "/program/referrals/review/",
             "/program/stories/", "/program/shout-outs/", "/ambassador/leaderboard/"]  # fmt: skip
    assert too_wide(phone, paths, screenshot) == {}


def test_ambassador_pages_fit_a_phone(phone, sign_in, demo_world, screenshot):
    amy = demo_world["amy.ambassador"]
    kit = Kit.objects.filter(links__membership__user=amy).order_by("-starts_on").first()
    story = story_submit(membership=amy.membership, title="Cherry floats at the lake", body="A long afternoon.")
    sign_in(amy, on=phone)

    paths = ["/ambassador/", "/ambassador/activity/", "/ambassador/leaderboard/", "/ambassador/stories/new/",
             f"/ambassador/stories/{story.pk}/", f"/ambassador/kits/{kit.pk}/", "/ambassador/privacy/",
             "/ambassador/privacy/erase/", "/stories/"]  # fmt: skip
    assert too_wide(phone, paths, screenshot) == {}
