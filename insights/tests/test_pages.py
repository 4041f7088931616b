import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.models import Mention, MentionTerm, RollupMark, Sentiment, TrackedTerm
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(client, login):
    TermFactory()
    login(client, "ana.insights")
    return client


def test_the_inbox_lists_mentions_and_filters_them(ana):
    mentions_ingest([item(1, text="carl's soda is awful"), item(2, text="carl's soda rocks", channel="reddit")])
    page = ana.get("/insights/", {"label": "negative"}).content.decode()
    assert "carl&#x27;s soda is awful" in page
    assert "rocks" not in page


def test_the_inbox_costs_a_fixed_number_of_queries(ana, django_assert_max_num_queries):
    mentions_ingest([item(n) for n in range(30)])
    with django_assert_max_num_queries(12):
        assert ana.get("/insights/").status_code == 200


def test_a_correction_through_htmx_returns_the_row_and_marks_the_rollups(ana):
    mentions_ingest([item(1)])
    RollupMark.objects.all().delete()
    mention = Mention.objects.get()
    response = ana.post(f"/insights/mentions/{mention.pk}/label/", {"label": "negative"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="mention-{mention.pk}"' in response.content.decode()
    mention.refresh_from_db()
    assert (mention.sentiment_label, mention.model_label) == (Sentiment.NEGATIVE, Sentiment.POSITIVE)
    assert mention.sentiment_set_by.email == "ana.insights@carlssoda.example"
    assert RollupMark.objects.count() == 1


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/insights/?label=negative", "/insights/?label=negative"),
        ("https://evil.example/phish", "/insights/"),
        ("//evil.example/phish", "/insights/"),
        ("javascript:alert(1)", "/insights/"),
    ],
)
def test_a_correction_without_htmx_returns_only_to_a_page_of_this_site(ana, next_url, lands_on):
    mentions_ingest([item(1)])
    mention = Mention.objects.get()
    response = ana.post(f"/insights/mentions/{mention.pk}/label/", {"label": "neutral", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_a_made_up_label_is_refused(ana):
    mentions_ingest([item(1)])
    mention = Mention.objects.get()
    response = ana.post(f"/insights/mentions/{mention.pk}/label/", {"label": "ecstatic"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    mention.refresh_from_db()
    assert mention.sentiment_set_by is None


def test_an_employee_cannot_correct_a_label(client, login):
    TermFactory()
    mentions_ingest([item(1)])
    login(client, "eli.employee")
    mention = Mention.objects.get()
    assert client.post(f"/insights/mentions/{mention.pk}/label/", {"label": "negative"}).status_code == 403
    mention.refresh_from_db()
    assert mention.sentiment_set_by is None


def test_the_review_queue_puts_the_least_certain_first_and_drops_checked_ones(ana):
    mentions_ingest(
        [item(1, text="carl's soda is the best, amazing, wonderful"), item(2, text="carl's soda is ok i guess")]
    )
    uncertain = Mention.objects.order_by("sentiment_confidence").first()
    page = ana.get("/insights/sentiment/review/")
    assert [m.pk for m in page.context["page"]][0] == uncertain.pk
    ana.post(f"/insights/mentions/{uncertain.pk}/label/", {"label": "neutral"})
    assert uncertain.pk not in [m.pk for m in ana.get("/insights/sentiment/review/").context["page"]]


def test_agreement_counts_what_staff_confirmed_and_corrected(ana):
    mentions_ingest([item(1, text="carl's soda is great"), item(2, text="carl's soda is lovely")])
    first, second = Mention.objects.order_by("pk")
    ana.post(f"/insights/mentions/{first.pk}/label/", {"label": "positive"})
    ana.post(f"/insights/mentions/{second.pk}/label/", {"label": "negative"})
    stats = ana.get("/insights/agreement/").context["stats"]
    assert (stats["checked"], stats["agreed"], stats["rate"]) == (2, 1, 0.5)
    assert stats["by_channel"] == [{"key": "X / Twitter", "checked": 2, "agreed": 1, "rate": 0.5}]


def test_an_offline_note_becomes_a_mention_once_even_if_sent_twice(ana):
    form = {
        "channel": ana.get("/insights/offline/").context["form"].fields["channel"].queryset.get(slug="call-centre").pk,
        "happened_at": "2026-02-03T10:30",
        "text": "Caller loves Carl's Soda but the new cap is hard to open.",
        "author_name": "Pat",
        "sentiment": "negative",
        "token": "a1b2c3",
    }
    assert ana.post("/insights/offline/", form).status_code == 302
    assert ana.post("/insights/offline/", form).status_code == 302
    mention = Mention.objects.get()
    assert (mention.channel.slug, mention.source, mention.author_name) == ("call-centre", "offline", "Pat")
    assert mention.sentiment_label == Sentiment.NEGATIVE
    assert mention.sentiment_set_by is not None
    assert mention.terms.get().name == "Carl's Soda"


def test_an_offline_note_with_a_staff_label_is_stored_in_one_insert(ana):
    channel = ana.get("/insights/offline/").context["form"].fields["channel"].queryset.get(slug="call-centre")
    form = {"channel": channel.pk, "happened_at": "2026-02-03T10:30", "sentiment": "positive", "token": "t-1"}
    form["text"] = "Visitor at the tasting stand said Carl's Soda is awful."
    with CaptureQueriesContext(connection) as queries:
        assert ana.post("/insights/offline/", form).status_code == 302
    mention = Mention.objects.get()
    assert (mention.sentiment_label, mention.model_label) == (Sentiment.POSITIVE, Sentiment.NEGATIVE)
    assert mention.sentiment_set_by.email == "ana.insights@carlssoda.example"
    assert mention.sentiment_set_at is not None
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert not [sql for sql in writes if sql.startswith('UPDATE "insights_mention"')], writes
    assert RollupMark.objects.count() == 1


def test_an_offline_note_from_before_1990_is_refused_on_its_date_field(client, login):
    login(client, "ana.insights")
    channel = client.get("/insights/offline/").context["form"].fields["channel"].queryset.first()
    form = {"channel": channel.pk, "happened_at": "0001-01-01T00:00", "text": "Old note", "token": "t-2"}
    response = client.post("/insights/offline/", form)
    assert response.context["form"].errors == {"happened_at": ["Is before 1990."]}
    assert not Mention.objects.exists()


def test_an_offline_note_in_the_future_is_refused(ana):
    channel = ana.get("/insights/offline/").context["form"].fields["channel"].queryset.first()
    response = ana.post(
        "/insights/offline/",
        {"channel": channel.pk, "happened_at": "2999-01-01T10:00", "text": "x", "token": "t"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["happened_at"] == ["Is in the future."]
    assert not Mention.objects.exists()


def test_a_term_query_that_does_not_parse_is_refused_with_its_position(ana):
    response = ana.post("/insights/terms/", {"name": "Broken", "kind": "product", "query": '(soda OR "cola'})
    assert response.status_code == 200
    assert "position" in response.context["form"].errors["query"][0]
    assert not TrackedTerm.objects.filter(name="Broken").exists()


def test_editing_a_query_matches_past_mentions_again(ana, django_capture_on_commit_callbacks):
    mentions_ingest([item(1, text="I drink zero lime every day")])
    term = TrackedTerm.objects.get()
    assert MentionTerm.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # the re-match task is queued on commit
        response = ana.post(
            f"/insights/terms/{term.pk}/", {"name": term.name, "kind": term.kind, "query": '"zero lime"'}
        )
    assert response.status_code == 302
    assert MentionTerm.objects.get().mention.external_id == "post-1"


def test_two_terms_cannot_share_a_name(ana):
    response = ana.post("/insights/terms/", {"name": "Carl's Soda", "kind": "brand", "query": "carl"})
    assert "already exists" in str(response.context["form"].errors)


def test_staff_tick_several_mentions_and_set_one_label_without_javascript(ana, django_assert_max_num_queries):
    mentions_ingest([item(n, text=f"carl's soda number {n} rocks") for n in range(1, 5)])
    RollupMark.objects.all().delete()
    picked = list(Mention.objects.filter(external_id__in=["post-1", "post-3"]).values_list("pk", flat=True))
    with django_assert_max_num_queries(12):
        page = ana.get("/insights/").content.decode()
    assert 'form="bulk-relabel"' in page
    assert 'id="bulk-relabel"' in page
    with django_assert_max_num_queries(12):
        response = ana.post("/insights/mentions/label/", {"ids": picked, "label": "negative", "next": "/insights/?x=1"})
    assert response.status_code == 302
    assert response["Location"] == "/insights/?x=1"
    assert "2 mentions labelled negative." in ana.get(response["Location"]).content.decode()
    labelled = Mention.objects.filter(sentiment_label=Sentiment.NEGATIVE, sentiment_set_by__isnull=False)
    assert set(labelled.values_list("pk", flat=True)) == set(picked)
    assert RollupMark.objects.exists()


def test_a_bulk_label_without_a_ticked_mention_says_so_and_changes_nothing(ana):
    mentions_ingest([item(1)])
    response = ana.post("/insights/mentions/label/", {"label": "negative"}, follow=True)
    assert "Select at least one mention." in response.content.decode()
    assert not Mention.objects.filter(sentiment_set_by__isnull=False).exists()
