"""GET /api/v1/advocates/candidates: the ranked candidates with their figures and marks (scope program:read)."""

import pytest

from advocacy.services.invitations import invitation_create
from advocacy.tests.factories import mentions_by as say
from insights.models import Channel

pytestmark = pytest.mark.django_db
URL = "/api/v1/advocates/candidates"


def test_it_lists_candidates_best_first_with_figures_and_marks(brand_terms, api_client):
    say("@quietfan", 3, reach=20)
    say("@fizzwhisperer", 6, reach=5000, likes=10, name="Wren Whisper")
    invitation_create(
        email="wren@fans.example",
        discovered_channel=Channel.objects.get(slug="twitter"),
        discovered_handle="@fizzwhisperer",
    )

    answer = api_client("program:read").get(URL)

    assert answer.status_code == 200
    body = answer.json()
    assert body["limit"] == 50
    assert "ln(1 + positive mentions)" in body["score_formula"]
    top, second = body["candidates"]
    assert {key: top[key] for key in ("key", "name", "handles", "channels", "positive_mentions", "reach")} == {
        "key": "a:twitter:@fizzwhisperer",
        "name": "Wren Whisper",
        "handles": ["@fizzwhisperer"],
        "channels": ["twitter"],
        "positive_mentions": 6,
        "reach": 5000,
    }
    assert top["authors"] == [{"channel": "twitter", "handle": "@fizzwhisperer"}]
    assert top["engagement"] == 60
    assert top["average_sentiment"] > 0.5
    assert top["last_mention_at"]
    assert top["marks"] == {"ambassador": False, "waitlisted": False, "invited": True}
    assert second["marks"] == {"ambassador": False, "waitlisted": False, "invited": False}
    assert top["score"] > second["score"]


def test_limit_cuts_the_list(brand_terms, api_client):
    for n in range(3):
        say(f"@fan{n}", 3)

    answer = api_client("program:read").get(URL, {"limit": 2})

    assert answer.status_code == 200
    assert len(answer.json()["candidates"]) == 2


@pytest.mark.parametrize("limit", ["0", "501", "-3", "fifty", "1.5"])
def test_a_bad_limit_is_a_400(api_client, assert_api_error, limit):
    error = assert_api_error(api_client("program:read").get(URL, {"limit": limit}), 400, "invalid")

    assert "limit" in error["details"]


def test_it_needs_the_program_read_scope(api_client, assert_api_error):
    assert_api_error(api_client("mentions:read").get(URL), 403, "permission_denied")


def test_it_answers_401_without_a_key(client, assert_api_error):
    assert_api_error(client.get(URL), 401, "not_authenticated")
