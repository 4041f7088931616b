"""The daily click-points cap under concurrency: PostgreSQL, real threads, one connection each."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from advocacy.models import ReferralClick
from advocacy.selectors.recognition import points_for
from advocacy.services.referrals import referral_follow, referral_link_for_code
from advocacy.tests.factories import ReferralLinkFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VISITORS = 40
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def test_40_visitors_clicking_at_once_earn_the_member_exactly_the_daily_cap(settings):
    settings.ADVOCACY_POINTS = settings.ADVOCACY_POINTS | {"click": 2}
    settings.ADVOCACY_CLICK_POINTS_PER_DAY = 25
    settings.ADVOCACY_CLICK_FLOOD_PER_HOUR = 1000
    code = ReferralLinkFactory(code="Rush2026").code
    start = Barrier(VISITORS)

    def click(n):
        link = referral_link_for_code(code)
        start.wait()
        try:
            return referral_follow(link=link, address=f"198.51.100.{n}", user_agent=BROWSER)
        finally:
            connection.close()

    with ThreadPoolExecutor(VISITORS) as pool:
        referrals = list(pool.map(click, range(VISITORS)))  # any error in a thread raises here

    link = referral_link_for_code(code)
    assert all(r.click_id for r in referrals)
    assert ReferralClick.objects.filter(link=link, flagged=False).count() == VISITORS
    assert points_for(link.membership) == 25  # 12 clicks of 2, one of 1, then nothing
