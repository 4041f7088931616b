"""The Django admin: one section per app, a way back to the site, every model browsable."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

LOCAL_APPS = settings.LOCAL_APPS

# Where a service must do the write (ingestion, rollups, the points ledger, seats, heartbeats):
# the admin shows these rows and never adds them.
WRITTEN_BY_SERVICES = [
    "core.Heartbeat",
    "insights.Channel",
    "insights.TrackedTerm",
    "insights.Feed",
    "insights.Mention",
    "insights.HourlyRollup",
    "insights.DailyRollup",
    "insights.DailyTermRollup",
    "insights.RollupMark",
    "insights.MentionImport",
    "insights.Alert",
    "insights.AlertSubscription",
    "insights.AlertNotification",
    "advocacy.Invitation",
    "advocacy.Membership",
    "advocacy.WaitlistEntry",
    "advocacy.ReferralLink",
    "advocacy.Conversion",
    "advocacy.Story",
    "advocacy.Activity",
    "advocacy.ReferralClick",
    "advocacy.BadgeAward",
    "intranet.Profile",
    "intranet.Skill",
]


def _registered_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in LOCAL_APPS),
        key=lambda model: model._meta.label,
    )


def _inline_models():
    return {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}


@pytest.fixture
def admin_client(client, login):
    login(client, "ada.admin")
    return client


def test_the_index_shows_one_accounts_section(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    sections = re.findall(r'<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert sections.count("Accounts") == 1, sections  # allauth's email addresses
    assert "People and access" in sections  # ours: users and API keys
    assert len(sections) == len(set(sections)), sections


def test_view_site_leads_out_of_the_admin(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    view_site = re.search(r'<a href="([^"]+)">View site</a>', html).group(1)
    response = admin_client.get(view_site, follow=True)
    assert response.status_code == 200
    assert not response.request["PATH_INFO"].startswith("/admin/"), response.redirect_chain  # "/" sends admins here


def test_every_model_of_our_apps_is_in_the_admin():
    shown = set(admin.site._registry) | _inline_models()
    missing = [
        model._meta.label
        for label in LOCAL_APPS
        for model in apps.get_app_config(label).get_models()
        if model not in shown
    ]
    assert missing == []


@pytest.mark.parametrize("label", WRITTEN_BY_SERVICES)
def test_rows_that_services_write_cannot_be_added_in_the_admin(admin_client, label):
    model = apps.get_model(label)
    assert admin.site.is_registered(model), label
    opts = model._meta
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403


def test_a_mention_is_read_only_in_the_admin(admin_client, channels):
    from insights.models import Mention
    from insights.services.ingest import mentions_ingest
    from insights.tests.factories import item

    mentions_ingest([item(1, text="carl's soda tastes of summer")])
    mention = Mention.objects.get()
    html = admin_client.get(reverse("admin:insights_mention_change", args=[mention.pk])).content.decode()
    assert "carl&#x27;s soda tastes of summer" in html
    assert 'name="_save"' not in html


@pytest.mark.parametrize("model", _registered_models(), ids=lambda model: model._meta.label)
def test_every_changelist_answers_with_a_search_and_each_filter(admin_client, channels, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = admin_client.get(url, {"q": "carl"})
    assert response.status_code == 200
    html = response.content.decode()
    filters = html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0] if "changelist-filter" in html else ""
    for block in filters.split("<details")[1:]:
        # The first link of a filter is "All" (the search alone); follow the first real choice.
        choices = [href.replace("&amp;", "&") for href in re.findall(r'href="(\?[^"]+)"', block)][1:]
        if choices:
            assert admin_client.get(url + choices[0]).status_code == 200, choices[0]
