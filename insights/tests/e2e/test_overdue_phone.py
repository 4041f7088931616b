"""The overdue queue and the channels page with targets fit a 390 px phone, and the queue links to the mention."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from insights.models import Channel, Mention
from insights.services.ingest import mentions_ingest
from insights.tests.factories import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_overdue_queue_fits_a_phone(phone, sign_in, demo_users, channels, make_user, screenshot, csp_violations):
    owner = make_user(email="olu.owner@rapport.example", name="Olu Owner", roles=[Role.INSIGHTS_STAFF])
    Channel.objects.filter(slug="twitter").update(response_target_minutes=60, owner=owner)
    published = timezone.now() - timedelta(hours=5)
    long_text = "Carl's Soda, my order of cherry cans never arrived and nobody answers the phone " * 3
    mentions_ingest([item(n, text=long_text, published_at=published.isoformat()) for n in range(1, 4)])
    first = Mention.objects.order_by("pk").first()

    sign_in(demo_users["ana.insights"], on=phone)
    for name, path in {"overdue": "/insights/overdue/", "channels": "/insights/channels/"}.items():
        assert phone.goto(path).ok, path
        screenshot(phone, name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"], path
    phone.goto("/insights/overdue/")
    assert phone.get_by_text("4 hours", exact=False).first.is_visible()
    link = phone.locator(f'a[href="/insights/mentions/{first.pk}/"]')
    assert link.count() == 1
    assert csp_violations == []
