from datetime import UTC
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from insights.demo import TERMS
from insights.models import DailyRollup, HourlyRollup, Mention, MentionTerm, RollupMark, Sentiment, TrackedTerm
from insights.query import parse
from insights.sentiment import get_scorer
from insights.services.rollups import rollups_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_terms(db):
    return [TrackedTerm.objects.get_or_create(name=n, defaults={"kind": k, "query": q})[0] for n, k, q in TERMS]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_mentions", *args, verbosity=0, stdout=out)
    return out.getvalue()


def rollup_snapshot() -> set:
    fields = ("bucket", "channel_id", "term_id", "label", "count", "reach_sum", "engagement_sum")
    hourly = {("h", *row) for row in HourlyRollup.objects.values_list(*fields)}
    daily = {("d", *row) for row in DailyRollup.objects.values_list(*fields)}
    sums = {
        ("s", bucket, channel, term, label, round(total, 6))
        for bucket, channel, term, label, total in HourlyRollup.objects.values_list(
            "bucket", "channel_id", "term_id", "label", "sentiment_sum"
        )
    }
    return hourly | daily | sums


@pytest.mark.postgres
def test_copy_creates_mentions_with_the_pipelines_terms_and_labels_and_marks_their_hours(demo_terms):
    output = generate("3000", "--seed", "7", "--chunk", "1000")

    assert "Created 3,000 mentions" in output
    assert "via copy" in output
    mentions = Mention.objects.filter(source="generated")
    assert mentions.count() == 3000
    assert mentions.values("external_id").distinct().count() == 3000
    assert mentions.exclude(external_id__startswith="7-").count() == 0  # the run prefix: the seed in base 36
    # What the ingestion pipeline would give each text: the configured model's label, the active terms' matches.
    scorer, queries = get_scorer(), {term.pk: parse(term.query) for term in demo_terms}
    checked = 0
    for mention in mentions.prefetch_related("terms").order_by("text", "language").distinct("text", "language"):
        expected_terms = {pk for pk, query in queries.items() if query.matches(mention.text)}
        assert {term.pk for term in mention.terms.all()} == expected_terms, mention.text
        if mention.language == "en":
            score = scorer.score([mention.text])[0]
            assert (mention.sentiment_label, mention.model_label) == (score.label, score.label)
            assert mention.sentiment_score == pytest.approx(score.score)
            assert mention.sentiment_confidence == pytest.approx(score.confidence)
        else:
            assert mention.sentiment_label == Sentiment.UNSCORED
            assert mention.sentiment_score is None
        checked += 1
    assert checked > 50  # the demo's variety: a few hundred distinct texts
    assert MentionTerm.objects.filter(mention__source="generated").count() > 3000
    # Every hour that got mentions is marked for the next rollup pass.
    hours = {
        moment.astimezone(UTC).replace(minute=0, second=0) for moment in mentions.values_list("published_at", flat=True)
    }
    assert {mark.astimezone(UTC) for mark in RollupMark.objects.values_list("hour", flat=True)} == hours


@pytest.mark.postgres
def test_copy_leaves_mentions_as_a_triaging_team_would(demo_terms, departments):
    from datetime import timedelta

    from django.db.models import F

    from insights.models import Channel
    from insights.triage import is_question

    Channel.objects.filter(slug="twitter").update(response_target_minutes=60)
    generate("3000", "--seed", "8", "--days", "30")
    mentions = Mention.objects.filter(source="generated")
    statuses = set(mentions.values_list("status", flat=True))
    assert {"new", "responded", "routed", "no_action"} <= statuses
    responded = mentions.filter(first_response_at__isnull=False)
    assert responded.exists()
    assert not responded.filter(first_response_at__lt=F("published_at")).exists()
    assert mentions.filter(status="routed", department__isnull=False).exists()
    assert not mentions.filter(status="routed", department__isnull=True).exists()
    Channel.objects.filter(slug="reddit").update(response_target_minutes=None)
    generate("1000", "--seed", "9", "--days", "30")
    targets = dict(Channel.objects.values_list("pk", "response_target_minutes"))
    for mention in Mention.objects.filter(source="generated", external_id__startswith="9-")[:300]:
        target = targets[mention.channel_id]
        assert mention.response_due_at == (target and mention.published_at + timedelta(minutes=target))
        assert mention.is_question == is_question(mention.text)


@pytest.mark.postgres
def test_two_runs_never_collide_and_the_same_seed_adds_nothing(demo_terms):
    generate("500", "--chunk", "200")
    generate("500", "--chunk", "200")
    assert Mention.objects.filter(source="generated").values("external_id").distinct().count() == 1000

    generate("500", "--seed", "42", "--chunk", "200")
    marks = RollupMark.objects.count()
    again = generate("500", "--seed", "42", "--chunk", "200")
    assert "Created 0 mentions" in again
    assert "500 already there" in again
    assert Mention.objects.filter(source="generated").count() == 1500
    assert RollupMark.objects.count() == marks

    with pytest.raises(CommandError, match="use another --seed"):
        generate("600", "--seed", "42", "--chunk", "300")  # other chunks: some of their ids exist


@pytest.mark.postgres
def test_a_rollup_pass_after_a_load_equals_a_rebuild(demo_terms):
    generate("2000", "--days", "30", "--chunk", "700")
    rollups_refresh()
    incremental = rollup_snapshot()
    assert RollupMark.objects.count() == 0

    rollups_refresh(rebuild=True)
    assert rollup_snapshot() == incremental
    assert HourlyRollup.objects.filter(term=None).aggregate(n=Sum("count"))["n"] == 2000


@pytest.mark.postgres
def test_rebuild_rollups_counts_everything_at_the_end(demo_terms):
    output = generate("800", "--days", "10", "--rebuild-rollups")
    assert "Rollups rebuilt" in output
    assert RollupMark.objects.count() == 0
    assert DailyRollup.objects.filter(term=None).aggregate(n=Sum("count"))["n"] == 800


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_jobs_load_every_chunk_once(demo_terms):
    generate("5000", "--jobs", "2", "--chunk", "1000", "--seed", "3")
    assert Mention.objects.filter(source="generated").values("external_id").distinct().count() == 5000
    assert MentionTerm.objects.filter(mention__source="generated").values("mention").distinct().count() > 4000
    assert "5,000 already there" in generate("5000", "--jobs", "2", "--chunk", "1000", "--seed", "3")
    rollups_refresh()
    assert HourlyRollup.objects.filter(term=None).aggregate(n=Sum("count"))["n"] == 5000


def test_the_ingest_path_works_on_any_database(demo_terms):
    output = generate("120", "--via", "ingest", "--seed", "5", "--days", "3")

    assert "Created 120 mentions" in output
    mentions = Mention.objects.filter(source="generated", external_id__startswith="5-")
    assert mentions.count() == 120
    assert MentionTerm.objects.filter(mention__in=mentions).exists()
    assert RollupMark.objects.exists()
    assert "Created 0 mentions" in generate("120", "--via", "ingest", "--seed", "5", "--days", "3")


def test_copy_loads_on_postgresql_and_is_refused_with_a_clear_message_elsewhere(demo_terms):
    """No skip: whichever database the run has, the command does the right thing for it."""
    if connection.vendor == "postgresql":
        assert "Created 10 mentions" in generate("10", "--via", "copy")
        assert Mention.objects.count() == 10
    else:
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            generate("10", "--via", "copy")
        assert not Mention.objects.exists()


def test_the_count_must_be_positive(demo_terms):
    with pytest.raises(CommandError, match="at least 1"):
        generate("0")


@pytest.mark.postgres
def test_generated_mentions_record_which_scorer_scored_them(demo_terms, ana, django_capture_on_commit_callbacks):
    from bench.sentiment_corpus import sentiment_corpus
    from insights.services.corrections import mentions_relabel
    from insights.services.ingest import mentions_ingest
    from insights.services.sentiment_models import sentiment_train
    from insights.tests.factories import item

    generate("300", "--seed", "3")
    assert set(Mention.objects.filter(source="generated").values_list("scored_by_version", flat=True)) == {None}

    corpus = sentiment_corpus(120, seed=15)
    mentions_ingest([item(i, text=text, external_id=f"c-{i}") for i, (text, _) in enumerate(corpus)])
    ids = dict(Mention.objects.filter(source="listening-tool").values_list("external_id", "pk"))
    for value in ("positive", "neutral", "negative"):
        chosen = [ids[f"c-{i}"] for i, (_, label) in enumerate(corpus) if label == value]
        mentions_relabel(mention_ids=chosen, label=value, by=ana)
    with django_capture_on_commit_callbacks(execute=False):
        version = sentiment_train(by=ana)
    assert version.is_active
    from insights.sentiment import scorer_forget

    scorer_forget()  # a new process (manage.py) reads the active version afresh

    generate("300", "--seed", "4")
    fresh = Mention.objects.filter(source="generated", external_id__startswith="4-")
    assert set(fresh.values_list("scored_by_version", flat=True)) == {version.pk}  # as ingest records it
    scorer = get_scorer()
    sample = fresh.filter(language="en").order_by("pk")[:20]
    assert [m.model_label for m in sample] == [s.label for s in scorer.score([m.text for m in sample])]
