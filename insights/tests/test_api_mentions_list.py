from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import User
from insights.models import Mention, Sentiment
from insights.services.corrections import mention_relabel
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db
LIST = "/api/v1/mentions"


@pytest.fixture
def reader(api_client):
    client = api_client("mentions:read")
    TermFactory()
    TermFactory(name="Cherry Fizz", kind="product", query='"cherry fizz"')

    def get(**params):
        return client.get(LIST, params)

    return get


def test_each_mention_shows_the_bulk_fields_terms_and_sentiment(reader):
    mentions_ingest([item(1, text="Carl's Soda cherry fizz is great", url="https://twitter.example/p/1")])
    body = reader().json()
    mention = Mention.objects.get()
    assert body["results"] == [
        {
            "id": mention.pk,
            "source": "listening-tool",
            "external_id": "post-1",
            "channel": "twitter",
            "text": "Carl's Soda cherry fizz is great",
            "published_at": body["results"][0]["published_at"],
            "url": "https://twitter.example/p/1",
            "language": "en",  # none was sent: detected (insights.languages)
            "author": {"handle": "@fizzfan42", "name": "Robin Hart", "reach": 1200},
            "engagement": {"likes": 5, "shares": 2, "comments": 1},
            "terms": ["Carl's Soda", "Cherry Fizz"],
            "sentiment_score": mention.sentiment_score,
            "sentiment_label": "positive",
            "sentiment_confidence": mention.sentiment_confidence,
            "sentiment_set_by": "model",
            "sentiment_set_at": None,
        }
    ]


def test_filters_narrow_the_list(reader):
    mentions_ingest(
        [
            item(1, text="carl's soda is awful", channel="reddit"),
            item(2, text="cherry fizz rocks"),
            item(3, text="carl's soda and cherry fizz", source="other"),
        ]
    )
    ids = lambda **p: sorted(r["external_id"] for r in reader(**p).json()["results"])  # noqa: E731
    assert ids(channel="reddit") == ["post-1"]
    assert ids(term="Cherry Fizz") == ["post-2", "post-3"]
    assert ids(label="negative") == ["post-1"]
    assert ids(source="other") == ["post-3"]
    assert ids(external_id="post-2") == ["post-2"]
    assert ids(text="ROCKS") == ["post-2"]


def test_a_staff_correction_shows_who_set_the_label(reader):
    mentions_ingest([item(1)])
    staff = User.objects.create_user(email="ana@carlssoda.example", name="Ana Pereira")
    mention_relabel(mention=Mention.objects.get(), label=Sentiment.NEUTRAL, by=staff)
    result = reader().json()["results"][0]
    assert (result["sentiment_label"], result["sentiment_set_by"]) == ("neutral", "Ana Pereira")
    assert result["sentiment_set_at"] is not None


def test_pages_follow_a_cursor_without_repeats(reader):
    mentions_ingest([item(n, published_at=f"2026-01-01T10:{n:02d}:00Z") for n in range(7)])
    seen, page = [], reader(page_size=3).json()
    while True:
        seen += [r["external_id"] for r in page["results"]]
        if not page["next"]:
            break
        page = reader(page_size=3, cursor=parse_qs(urlsplit(page["next"]).query)["cursor"][0]).json()
    assert seen == [f"post-{n}" for n in reversed(range(7))]


def test_the_list_costs_a_fixed_number_of_queries(reader, django_assert_max_num_queries):
    mentions_ingest([item(n) for n in range(20)])
    with django_assert_max_num_queries(5):
        assert len(reader().json()["results"]) == 20


def test_a_key_without_the_read_scope_is_refused(api_client):
    assert api_client("mentions:write").get(LIST).status_code == 403


def test_a_date_with_an_offset_beyond_postgresql_s_range_is_compared_in_utc(client, login):
    login(client, "ana.insights")
    response = client.get("/api/v1/mentions", {"start": "2026-01-02T08:00:00+16:20"})
    assert response.status_code == 200
