"""Retiring a tracked term: it stops matching new mentions, keeps its history, and can come back."""

import pytest

from insights.models import DailyRollup, Mention, TrackedTerm
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.services.terms import term_retire
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(client, login):
    login(client, "ana.insights")
    return client


def _term_count(term) -> int:
    return sum(DailyRollup.objects.filter(term=term).values_list("count", flat=True))


def test_a_retired_term_keeps_its_history_and_matches_no_new_mention(ana, django_capture_on_commit_callbacks):
    term = TermFactory()
    mentions_ingest([item(1)])
    rollups_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = ana.post(f"/insights/terms/{term.pk}/retire/", {"action": "retire"}, follow=True)
    assert "is retired" in response.content.decode()
    term.refresh_from_db()
    assert term.is_active is False
    assert term.retired_by.email == "ana.insights@carlssoda.example"

    mentions_ingest([item(2)])
    rollups_refresh()
    assert list(Mention.objects.get(external_id="post-1").terms.all()) == [term]
    assert not Mention.objects.get(external_id="post-2").terms.exists()
    assert _term_count(term) == 1  # the past is unchanged

    page = ana.get("/insights/terms/").content.decode()
    assert "Retired" in page
    assert "Restore Carl" in page


def test_a_restored_term_matches_again_including_what_came_while_retired(ana, django_capture_on_commit_callbacks):
    term = TermFactory()
    term_retire(term=term, by=None)
    mentions_ingest([item(1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = ana.post(f"/insights/terms/{term.pk}/retire/", {"action": "restore"}, follow=True)
    assert "tracked again" in response.content.decode()
    term.refresh_from_db()
    assert (term.is_active, term.retired_at) == (True, None)
    assert list(Mention.objects.get().terms.all()) == [term]


def test_restoring_beyond_the_active_cap_is_refused_with_a_message(ana, settings):
    settings.INSIGHTS_MAX_ACTIVE_TERMS = 1
    retired = TermFactory(name="Fizzco", query="fizzco")
    term_retire(term=retired, by=None)
    TermFactory()
    response = ana.post(f"/insights/terms/{retired.pk}/retire/", {"action": "restore"}, follow=True)
    assert "at most 1 active terms" in response.content.decode()
    assert TrackedTerm.objects.get(pk=retired.pk).is_active is False


def test_the_terms_page_costs_a_fixed_number_of_queries(ana, django_assert_max_num_queries):
    for n in range(15):
        TermFactory(name=f"Term {n}", query=f"word{n}", is_active=n % 2 == 0)
    with django_assert_max_num_queries(8):
        assert ana.get("/insights/terms/").status_code == 200
