import pytest

from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


def test_the_reputation_tile_shows_net_sentiment_and_volume(client, login, channels):
    TermFactory()
    mentions_ingest(
        [item(1, text="carl's soda is great"), item(2, text="carl's soda is awful"), item(3, text="love it")]
    )
    rollups_refresh()
    login(client, "erin.exec")
    tiles = {kpi.key: kpi for kpi in client.get("/staff/").context["kpis"]}
    assert tiles["reputation"].value == "+0.33 net"  # 2 positive, 1 negative of 3 scored
    assert "3 mentions in the last 30 days" in tiles["reputation"].caption


def test_without_mentions_the_tile_says_there_is_no_data_yet(client, login):
    login(client, "ana.insights")
    tiles = {kpi.key: kpi for kpi in client.get("/staff/").context["kpis"]}
    assert tiles["reputation"].value is None


def test_the_dashboard_reads_rollups_in_a_fixed_number_of_queries(client, login, django_assert_max_num_queries):
    login(client, "ana.insights")
    client.get("/staff/")  # fills the roles and permissions cache
    # session, user, 4 for the reputation tile and the chart, 6 for the program's tiles
    with django_assert_max_num_queries(12):
        client.get("/staff/")


def test_the_program_tiles_show_seats_shares_clicks_conversions_and_returning_customers(client, login, channels):
    from advocacy.services.activities import activity_record
    from advocacy.services.referrals import conversion_record
    from advocacy.tests.factories import ReferralLinkFactory

    link = ReferralLinkFactory()
    activity_record(membership=link.membership, kind="share", key="https://social.example/p/1")
    client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    conversion_record(code=link.code, order_id="A-1", customer_ref="c-1")
    conversion_record(code=link.code, order_id="A-2", customer_ref="c-1")  # the same customer again

    login(client, "ana.insights")
    tiles = {kpi.key: kpi.value for kpi in client.get("/staff/").context["kpis"]}

    assert tiles["seats"] == "1 of 100"
    assert (tiles["engagement"], tiles["referrals"], tiles["conversions"], tiles["returning"]) == ("1", "1", "2", "1")
