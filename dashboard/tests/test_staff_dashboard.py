import pytest

from insights.rollups import rollups_refresh
from insights.services import ingest_mentions
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


def test_the_reputation_tile_shows_net_sentiment_and_volume(client, make_user, channels):
    TermFactory()
    ingest_mentions(
        [item(1, text="carl's soda is great"), item(2, text="carl's soda is awful"), item(3, text="love it")]
    )
    rollups_refresh()
    client.force_login(make_user("erin.exec"))
    tiles = {kpi.key: kpi for kpi in client.get("/staff/").context["kpis"]}
    assert tiles["reputation"].value == "+0.33 net"  # 2 positive, 1 negative of 3 scored
    assert "3 mentions in the last 30 days" in tiles["reputation"].caption


def test_without_mentions_the_tile_says_there_is_no_data_yet(client, make_user):
    client.force_login(make_user("ana.insights"))
    tiles = {kpi.key: kpi for kpi in client.get("/staff/").context["kpis"]}
    assert tiles["reputation"].value is None


def test_the_dashboard_reads_rollups_in_a_fixed_number_of_queries(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user("ana.insights"))
    client.get("/staff/")  # fills the roles and permissions cache
    # session, user, 4 for the reputation tile and the chart, 6 for the program's tiles
    with django_assert_max_num_queries(12):
        client.get("/staff/")
