"""The staff dashboard: KPI tiles against the previous period, the range picker, charts that open the
inbox, and the CSV of each chart's series. Figures come from rollups refreshed as beat would."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from insights.models import TrackedTerm
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=NEW_YORK)  # a Friday; the quarter began on October 1
POSITIVE = "I love Carl's Soda, the cherry one is great!"
NEGATIVE = "Carl's Soda is awful, I hate the new bottle"
COMPETITOR = "Bought a Fizzco cola at the station"  # neutral, a competitor's


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def terms(db):
    return TermFactory(), TermFactory(name="Fizzco", kind=TrackedTerm.Kind.COMPETITOR, query="fizzco")


def said(n: int, day: date, text: str, *, channel: str = "twitter", hour: int = 12):
    """Mention number `n`, said on `day` (New York) at `hour`."""
    return item(
        n,
        text=text,
        channel=channel,
        published_at=datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK).isoformat(),
    )


@pytest.fixture
def two_weeks(terms, channels):
    """This week (Nov 14–20): 2 positive and 1 negative of the brand, 1 neutral of a competitor, on reddit
    one of them; the week before (Nov 7–13): 1 positive of the brand, 1 of the competitor."""
    result = mentions_ingest(
        [
            said(1, date(2026, 11, 20), POSITIVE),
            said(2, date(2026, 11, 18), POSITIVE, channel="reddit"),
            said(3, date(2026, 11, 18), NEGATIVE),
            said(4, date(2026, 11, 14), COMPETITOR),
            said(5, date(2026, 11, 13), POSITIVE),
            said(6, date(2026, 11, 7), COMPETITOR),
            said(7, date(2026, 11, 6), NEGATIVE),  # outside both weeks
        ]
    )
    assert result.created == 7
    rollups_refresh()


def tiles_of(response) -> dict:
    return {kpi.key: kpi for kpi in response.context["kpis"]}


def charts_of(response) -> dict:
    return {chart.slug: chart for chart, _, _ in response.context["charts"]}


# --- Tiles ---------------------------------------------------------------------------------------------


def test_mention_tiles_count_the_range_against_the_one_before(client, login, two_weeks):
    login(client, "ana.insights")
    tiles = tiles_of(client.get("/staff/?range=7"))

    assert (tiles["volume"].number, tiles["volume"].previous) == (4, 2)
    assert tiles["volume"].value == "4"
    assert tiles["volume"].change == "+100% on the previous 7 days (2)"
    assert tiles["volume"].trend == "up"
    # (2 positive − 1 negative) ÷ 4 scored; before (1 − 0) ÷ 2
    assert (tiles["sentiment"].number, tiles["sentiment"].previous) == (0.25, 0.5)
    assert tiles["sentiment"].value == "+0.25"
    assert tiles["sentiment"].change == "-0.25 on the previous 7 days (+0.50)"
    # brand 3 of 4 brand-or-competitor mentions; before 1 of 2
    assert (tiles["share_of_voice"].number, tiles["share_of_voice"].previous) == (0.75, 0.5)
    assert tiles["share_of_voice"].value == "75%"
    assert tiles["share_of_voice"].change == "+25.0 points on the previous 7 days (50%)"


def test_a_longer_range_holds_every_mention_and_the_period_before_is_as_long(client, login, two_weeks):
    login(client, "ana.insights")
    tiles = tiles_of(client.get("/staff/?range=custom&start=2026-11-07&end=2026-11-20"))
    assert (tiles["volume"].number, tiles["volume"].previous) == (6, 1)  # Oct 24 – Nov 6: mention 7

    tiles = tiles_of(client.get("/staff/?range=30"))
    assert (tiles["volume"].number, tiles["volume"].previous) == (7, 0)
    assert tiles["volume"].change == "none in the previous 30 days"


def test_without_mentions_the_tiles_say_there_is_no_data_yet(client, login):
    login(client, "ana.insights")
    response = client.get("/staff/")
    tiles = tiles_of(response)
    assert tiles["sentiment"].value is None
    assert tiles["share_of_voice"].value is None
    assert tiles["volume"].value == "0"
    assert "No mentions in this range." in response.content.decode()


def test_the_program_tiles_count_shares_clicks_and_returning_customers_in_the_range(client, login, channels):
    from advocacy.services.activities import activity_record
    from advocacy.services.referrals import conversion_record
    from advocacy.tests.factories import ReferralLinkFactory

    link = ReferralLinkFactory()
    activity_record(membership=link.membership, kind="share", key="https://social.example/p/1")
    activity_record(membership=link.membership, kind="share", key="https://social.example/p/2")
    with time_machine.travel(datetime(2026, 11, 10, 12, tzinfo=NEW_YORK), tick=False):  # the week before
        activity_record(membership=link.membership, kind="share", key="https://social.example/p/0")
    client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    with time_machine.travel(datetime(2026, 11, 19, 12, tzinfo=NEW_YORK), tick=False):
        conversion_record(code=link.code, order_id="A-1", customer_ref="c-1")
    conversion_record(code=link.code, order_id="A-2", customer_ref="c-1")  # the same customer again

    login(client, "ana.insights")
    tiles = tiles_of(client.get("/staff/?range=7"))

    assert (tiles["engagement"].number, tiles["engagement"].previous) == (2, 1)
    assert tiles["engagement"].change == "+100% on the previous 7 days (1)"
    assert (tiles["referrals"].number, tiles["referrals"].previous) == (1, 0)
    assert (tiles["returning"].number, tiles["returning"].previous) == (1, 0)
    assert tiles["seats"].value == "1 of 100"


def test_open_alerts_count_what_is_not_closed_and_what_opened_in_the_range(client, login, terms):
    from insights.models import Alert

    brand, competitor = terms
    earlier = datetime(2026, 11, 9, tzinfo=UTC)
    for term, kind, status, opened in [
        (brand, "volume_spike", "open", NOW),
        (brand, "negative_surge", "acknowledged", NOW),
        (competitor, "volume_spike", "closed", NOW),
        (competitor, "negative_surge", "open", earlier),
    ]:
        Alert.objects.create(
            term=term, kind=kind, status=status, opened_at=opened, last_seen_at=opened, observed=30, baseline=2
        )
    login(client, "ana.insights")
    tile = tiles_of(client.get("/staff/?range=7"))["alerts"]
    assert tile.value == "3"
    assert tile.change == "3 opened in these 7 days, 1 in the 7 before"


def test_the_response_and_findings_tiles_count_what_happened(client, login, two_weeks, make_user, departments):
    from insights.models import Finding, Mention
    from insights.services.findings import finding_create
    from insights.services.triage import mention_respond

    ana = login(client, "ana.insights")
    answered = {}
    for n, mention in enumerate(Mention.objects.order_by("published_at")[:3], start=1):
        mention_respond(mention=mention, by=ana, at=mention.published_at + timedelta(minutes=10 * n))
        answered[mention.pk] = 10 * n
    finding_create(
        title="Cans dented",
        summary="Photos of dented cans.",
        recommended_action="Check the carrier.",
        departments=["customer-service"],
        priority="high",
        by=ana,
    )
    rollups_refresh()
    tiles = tiles_of(client.get("/staff/?range=30"))
    assert tiles["response"].value == "20 min"  # the median of 10, 20 and 30 minutes
    assert "Over 3 answered mentions" in tiles["response"].caption
    assert tiles["findings"].number == Finding.objects.exclude(status__in=Finding.CLOSED).count() == 1


def test_a_rollup_pass_updates_the_cached_figures(client, login, two_weeks):
    login(client, "ana.insights")
    assert tiles_of(client.get("/staff/?range=7"))["volume"].number == 4
    mentions_ingest([said(8, date(2026, 11, 19), POSITIVE)])
    assert tiles_of(client.get("/staff/?range=7"))["volume"].number == 4  # not counted until the next pass
    rollups_refresh()
    assert tiles_of(client.get("/staff/?range=7"))["volume"].number == 5


def test_the_dashboard_reads_rollups_in_a_fixed_number_of_queries(
    client, login, two_weeks, django_assert_max_num_queries
):
    login(client, "ana.insights")
    client.get("/staff/?range=90")  # fills the roles cache and the rollup cache
    # session, user, rollup generation, terms, channels; shares ×2, referrals ×4, seats ×3, alerts; response
    # times (this range and the one before, by week, overdue now: day rows, the pass's clock, what fell due since
    # each); open findings
    with django_assert_max_num_queries(27):
        client.get("/staff/?range=90")


# --- The range picker ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("", date(2026, 10, 22), date(2026, 11, 20)),  # the last 30 days by default
        ("range=7", date(2026, 11, 14), date(2026, 11, 20)),
        ("range=30", date(2026, 10, 22), date(2026, 11, 20)),
        ("range=90", date(2026, 8, 23), date(2026, 11, 20)),
        ("range=quarter", date(2026, 10, 1), date(2026, 11, 20)),
        ("range=custom&start=2026-01-01&end=2026-03-31", date(2026, 1, 1), date(2026, 3, 31)),
        ("start=2026-02-01&end=2026-02-01", date(2026, 2, 1), date(2026, 2, 1)),  # dates alone: custom
    ],
)
def test_the_range_picker_sets_the_days_of_every_figure(client, login, query, start, end):
    login(client, "ana.insights")
    response = client.get(f"/staff/?{query}")
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start, period.end) == (start, end)
    volume = charts_of(response)["volume"]
    assert (volume.x[0], volume.x[-1]) == (start.isoformat(), end.isoformat())
    export = f"/staff/export/volume.csv?{response.context['range_query']}"
    assert export.replace("&", "&amp;") in response.content.decode()  # the CSV link carries the range


def test_days_are_the_organisations(client, login, terms, channels):
    # 23:30 in New York on Nov 19 is Nov 20 in UTC: it counts on the 19th.
    mentions_ingest([said(1, date(2026, 11, 19), POSITIVE, hour=23)])
    rollups_refresh()
    login(client, "ana.insights")
    volume = charts_of(client.get("/staff/?range=custom&start=2026-11-19&end=2026-11-19"))["volume"]
    assert sum(values[0] for _, values in volume.series) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("range=forever", "Select a valid choice"),
        ("range=custom&start=2026-03-01&end=2026-02-01", "Is before the first day."),
        ("range=custom&start=2024-01-01&end=2026-01-01", "A range covers at most 366 days."),
        ("range=custom&start=0001-01-01&end=2026-01-01", "Must be between 1900-01-01 and 2200-12-31."),
        ("range=custom&start=2026-13-45&end=2026-01-01", "Enter a valid date."),
        ("range=custom&start=2026-01-01", "Choose the last day of a custom range."),
        ("range=custom&start=%00&end=2026-01-01", ""),
    ],
)
def test_a_bad_range_is_refused_with_a_clear_message_and_the_default_figures(client, login, query, message):
    login(client, "ana.insights")
    response = client.get(f"/staff/?{query}")
    assert response.status_code == 400
    if message:
        assert message in response.content.decode()
        assert "the figures below are for the last 30 days" in response.content.decode()
        assert response.context["period"].days == 30
    assert client.get(f"/staff/export/volume.csv?{query}").status_code == 400


# --- Charts open the inbox -------------------------------------------------------------------------------


def _texts(response) -> list[str]:
    return sorted(mention.text for mention in response.context["page"].object_list)


def test_a_days_bar_of_one_sentiment_opens_those_mentions_in_the_inbox(client, login, two_weeks):
    login(client, "ana.insights")
    volume = charts_of(client.get("/staff/?range=7"))["volume"]
    cells = dict(volume.rows())["2026-11-18"]
    names = [name for name, _ in volume.series]
    negative_value, negative_link = cells[names.index("Negative")]
    assert negative_value == 1
    assert negative_link == "/insights/?label=negative&start=2026-11-18&end=2026-11-18"
    assert _texts(client.get(negative_link)) == [NEGATIVE]
    positive_value, positive_link = cells[names.index("Positive")]
    assert positive_value == 1
    assert _texts(client.get(positive_link)) == [POSITIVE]


def test_a_terms_share_of_voice_point_opens_its_mentions(client, login, two_weeks):
    login(client, "ana.insights")
    voice = charts_of(client.get("/staff/?range=7"))["share-of-voice"]
    assert [name for name, _ in voice.series] == ["Carl's Soda", "Fizzco"]
    value, link = dict(voice.rows())["2026-11-14"][1]
    assert value == 100.0  # the only brand-or-competitor mention that day is Fizzco's
    assert _texts(client.get(link)) == [COMPETITOR]


def test_a_channels_bar_opens_its_mentions_over_the_range(client, login, two_weeks):
    login(client, "ana.insights")
    channels = charts_of(client.get("/staff/?range=7"))["channels"]
    reddit = dict(channels.rows())["Reddit"]
    value, link = reddit[0]  # positive
    assert value == 1
    assert link == "/insights/?channel=reddit&label=positive&start=2026-11-14&end=2026-11-20"
    assert _texts(client.get(link)) == [POSITIVE]


def test_the_table_alternative_links_its_cells_and_the_chart_carries_the_same_links(client, login, two_weeks):
    login(client, "ana.insights")
    html = client.get("/staff/?range=7").content.decode()
    assert '<a href="/insights/?label=negative&amp;start=2026-11-18&amp;end=2026-11-18">1</a>' in html
    assert '"links": [[' in html  # the chart's JSON: charts.js opens them on a click


def test_executives_see_the_charts_without_links_to_the_inbox(client, login, two_weeks):
    login(client, "erin.exec")
    response = client.get("/staff/?range=7")
    assert all(chart.links is None for chart in charts_of(response).values())
    assert "/insights/?" not in response.content.decode()


# --- A chart's series as CSV --------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_charts_series_download_as_csv_for_the_range(client, login, two_weeks):
    login(client, "erin.exec")
    response = client.get("/staff/export/volume.csv?range=7")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="volume-2026-11-14-2026-11-20.csv"'
    rows = _csv(response)
    assert rows[0] == ["Day", "Positive", "Neutral", "Negative", "Unscored"]
    assert len(rows) == 1 + 7
    assert rows[5] == ["2026-11-18", "1", "0", "1", "0"]


@pytest.mark.parametrize("chart", ["volume", "sentiment", "share-of-voice", "channels", "response-times"])
def test_every_chart_has_a_csv(client, login, two_weeks, chart):
    login(client, "ana.insights")
    response = client.get(f"/staff/export/{chart}.csv?range=quarter")
    assert response.status_code == 200
    assert len(_csv(response)[0]) >= 2


def test_a_term_named_like_a_formula_is_escaped_in_the_csv(client, login, two_weeks):
    TermFactory(name="=HYPERLINK(evil)", kind=TrackedTerm.Kind.COMPETITOR, query="zzzqqq")
    rollups_refresh()
    login(client, "ana.insights")
    header = _csv(client.get("/staff/export/share-of-voice.csv?range=7"))[0]
    assert header == ["Day", "'=HYPERLINK(evil)", "Carl's Soda", "Fizzco"]


def test_an_unknown_chart_is_not_found(client, login):
    login(client, "ana.insights")
    assert client.get("/staff/export/nothing.csv").status_code == 404
