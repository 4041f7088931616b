import pytest

from insights.models import MentionTerm, TrackedTerm
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


def test_terms_are_listed_created_edited_and_deleted(admin_api, django_capture_on_commit_callbacks):
    mentions_ingest([item(1, text="ginger kick is spicy")])
    with django_capture_on_commit_callbacks(execute=True):
        created = admin_api("post", "terms", {"name": "Ginger Kick", "kind": "product", "query": '"ginger kick"'})
    assert created.status_code == 201
    term_id = created.json()["id"]
    assert MentionTerm.objects.get().term_id == term_id  # past mentions matched
    assert [t["name"] for t in admin_api("get", "terms").json()] == ["Ginger Kick"]
    patched = admin_api("patch", f"terms/{term_id}", {"query": "ginger"})
    assert (patched.status_code, patched.json()["query"]) == (200, "ginger")
    assert admin_api("delete", f"terms/{term_id}").status_code == 204
    assert not TrackedTerm.objects.exists()


def test_a_query_that_does_not_parse_is_a_400_with_its_position(admin_api, assert_api_error):
    response = admin_api("post", "terms", {"name": "Bad", "kind": "brand", "query": "soda OR"})
    assert "position" in assert_api_error(response, 400, "invalid")["details"]["query"][0]
    assert not TrackedTerm.objects.exists()


def test_a_query_over_the_size_limits_is_refused_and_a_query_at_them_accepted(admin_api, assert_api_error):
    words = [f"flavour{n}" for n in range(51)]
    too_many = admin_api("post", "terms", {"name": "Every flavour", "kind": "product", "query": " OR ".join(words)})
    assert "at most 50 words" in str(assert_api_error(too_many, 400, "invalid"))
    too_long = admin_api("post", "terms", {"name": "Long", "kind": "product", "query": "fizz" + " fizz" * 200})
    assert "at most 1,000 characters" in str(assert_api_error(too_long, 400, "invalid"))
    at_limit = admin_api("post", "terms", {"name": "Fifty", "kind": "product", "query": " OR ".join(words[:50])})
    assert at_limit.status_code == 201
    assert not TrackedTerm.objects.filter(name__in=["Every flavour", "Long"]).exists()


def test_no_term_beyond_the_most_active_terms(admin_api, assert_api_error, settings):
    settings.INSIGHTS_MAX_ACTIVE_TERMS = 2
    assert admin_api("post", "terms", {"name": "One", "kind": "product", "query": "one"}).status_code == 201
    assert admin_api("post", "terms", {"name": "Two", "kind": "product", "query": "two"}).status_code == 201
    refused = admin_api("post", "terms", {"name": "Three", "kind": "product", "query": "three"})
    assert "at most 2 active terms" in str(assert_api_error(refused, 400, "invalid"))
    term = TrackedTerm.objects.get(name="Two")
    assert admin_api("patch", f"terms/{term.pk}", {"query": "two OR deux"}).status_code == 200  # editing is fine


def test_a_wrong_kind_is_refused(admin_api, assert_api_error):
    response = admin_api("post", "terms", {"name": "X", "kind": "celebrity", "query": "x"})
    assert "kind" in assert_api_error(response, 400, "invalid")["details"]


def test_put_is_not_offered(admin_api):
    term = TermFactory()
    assert admin_api("put", f"terms/{term.pk}", {"name": "x", "kind": "brand", "query": "x"}).status_code == 405


def test_an_unknown_term_is_404(admin_api):
    assert admin_api("get", "terms/999999").status_code == 404


def test_a_channel_in_use_cannot_be_deleted_only_deactivated(admin_api, assert_api_error):
    TermFactory()
    mentions_ingest([item(1, channel="reddit")])
    reddit = next(c for c in admin_api("get", "channels").json() if c["slug"] == "reddit")
    response = admin_api("delete", f"channels/{reddit['id']}")
    assert "deactivate" in assert_api_error(response, 409, "in_use")["message"]
    assert admin_api("patch", f"channels/{reddit['id']}", {"is_active": False}).json()["is_active"] is False
    added = admin_api("post", "channels", {"slug": "mastodon", "name": "Mastodon", "kind": "online"})
    assert added.status_code == 201


def test_a_key_without_the_admin_scope_is_refused(api_client):
    assert api_client("mentions:read", "mentions:write").get("/api/v1/terms").status_code == 403
