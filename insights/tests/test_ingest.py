import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given
from hypothesis import strategies as st

from insights.mention_input import valid_url
from insights.models import Mention, RollupMark, Sentiment
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def brand():
    return TermFactory()


def test_it_stores_a_valid_mention_with_its_terms_and_score():
    result = mentions_ingest([item(1)])
    assert (result.created, result.duplicates, result.rejected, result.errors) == (1, 0, 0, [])
    mention = Mention.objects.get()
    assert mention.channel.slug == "twitter"
    assert mention.author_handle == "@fizzfan42"
    assert mention.author_reach == 1200
    assert mention.engagement == 8
    assert [t.name for t in mention.terms.all()] == ["Carl's Soda"]
    assert mention.sentiment_label == Sentiment.POSITIVE
    assert mention.model_label == Sentiment.POSITIVE
    assert 0 < mention.sentiment_score <= 1
    assert 0 <= mention.sentiment_confidence <= 1
    assert mention.sentiment_set_by is None


def test_sending_the_same_items_again_creates_nothing():
    mentions_ingest([item(1), item(2)])
    again = mentions_ingest([item(1), item(2)])
    assert (again.created, again.duplicates, again.rejected) == (0, 2, 0)
    assert Mention.objects.count() == 2


def test_a_repeat_inside_one_batch_counts_as_a_duplicate_and_the_first_wins():
    result = mentions_ingest([item(1, text="First Carl's Soda"), item(2), item(1, text="Second Carl's Soda")])
    assert (result.created, result.duplicates, result.rejected, result.errors) == (2, 1, 0, [])
    assert Mention.objects.get(external_id="post-1").text == "First Carl's Soda"


def test_an_integer_external_id_is_the_same_as_its_string():
    mentions_ingest([item(external_id=12345678901234567890)])
    assert mentions_ingest([item(external_id="12345678901234567890")]).duplicates == 1
    assert Mention.objects.get().external_id == "12345678901234567890"


def test_bad_items_are_reported_by_index_and_good_ones_kept():
    result = mentions_ingest(
        [
            item(1),
            item(2, channel="myspace"),
            item(3, text=""),
            item(4, text="x" * 10_001),
            item(5, published_at="yesterday"),
            item(6, published_at="2026-01-01T10:00:00"),
            item(7, published_at="2999-01-01T10:00:00+00:00"),
            item(8, external_id=True),
            item(9, author={"reach": -3}),
            item(10, engagement="lots"),
            "not an object",
            item(12, url="ftp://example.com/x"),
        ]
    )
    assert (result.created, result.rejected) == (1, 11)
    by_index = {e["index"]: e["errors"] for e in result.errors}
    assert "Unknown channel “myspace”" in by_index[1]["channel"][0]
    assert by_index[2] == {"text": ["Is empty."]}
    assert by_index[3] == {"text": ["At most 10,000 characters (got 10,001)."]}
    assert "not an ISO 8601" in by_index[4]["published_at"][0]
    assert "offset" in by_index[5]["published_at"][0]
    assert by_index[6] == {"published_at": ["Is in the future."]}
    assert "external_id" in by_index[7]
    assert "author.reach" in by_index[8]
    assert "engagement" in by_index[9]
    assert by_index[10] == {"non_field_errors": ["Each item must be a JSON object."]}
    assert by_index[11] == {"url": ["Is not a valid http(s) URL."]}


def test_a_language_the_model_does_not_read_is_stored_unscored():
    mentions_ingest([item(1, text="¡Me encanta Carl's Soda!", language="es")])
    mention = Mention.objects.get()
    assert mention.sentiment_label == Sentiment.UNSCORED
    assert mention.sentiment_score is None
    assert [t.name for t in mention.terms.all()] == ["Carl's Soda"]


def test_a_regional_english_is_scored():
    mentions_ingest([item(1, text="Carl's Soda tastes awful now", language="en-GB")])
    assert Mention.objects.get().sentiment_label == Sentiment.NEGATIVE


def test_an_excluded_phrase_matches_no_term():
    mentions_ingest([item(1, text="Carl's Jr burgers with a carl's soda")])
    assert Mention.objects.get().terms.count() == 0


def test_new_mentions_mark_their_hours_for_the_rollups():
    mentions_ingest([item(1), item(2)])
    assert RollupMark.objects.count() == 1  # both in the same hour


def test_published_times_are_stored_in_utc():
    mentions_ingest([item(1, published_at="2026-03-01T09:30:00+01:00")])
    published = Mention.objects.get().published_at
    assert (published.hour, published.minute, published.utcoffset().total_seconds()) == (8, 30, 0)


URL_PIECES = ["http://", "https://", "HTTP://", "ftp://", "a", "Z", "0", "-", ".", ".com", ".io", ".x", ":", ":80",
              "/", "?", "#", "@", " ", "\n", "é", "[::1]", "xn--", "user:pw@", "localhost", "%20", "_"]  # fmt: skip


@given(st.lists(st.sampled_from(URL_PIECES), max_size=12).map("".join))
def test_the_quick_url_check_agrees_with_django_url_validator(url):
    try:
        URLValidator(schemes=["http", "https"])(url)
        expected = True
    except ValidationError:
        expected = False
    assert valid_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["https://carlssoda.example/p/1?x=1#c", "http://a.b.co:8080", "HTTPS://x.example/", "http://127.0.0.1/",
     "https://münchen.example/", "http://localhost:8000/p", "http://user:pw@host.example/"],
)  # fmt: skip
def test_urls_of_every_shape_are_accepted(url):
    assert valid_url(url)


@pytest.mark.parametrize(
    "url", ["https://-bad.example/", "http://a.b/", "https://x.example/a b", "javascript:alert(1)", "https://x"]
)
def test_malformed_urls_are_refused(url):
    assert not valid_url(url)
