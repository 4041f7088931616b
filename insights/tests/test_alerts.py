from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accounts.roles import Role
from insights.models import Alert, AlertSubscription, Mention
from insights.services.alerts import alert_close, alert_subscriptions_set, alerts_digest_send, alerts_evaluate
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 15, 10, tzinfo=UTC)
WINDOW_START = NOW - timedelta(minutes=59)  # the evaluation at NOW counts the 60 minutes up to it
LAST_HOUR = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def mentions(start: int, count: int, at: datetime, text: str = "carl's soda is nice") -> list[dict]:
    return [item(start + n, text=text, published_at=(at + timedelta(minutes=n % 60)).isoformat()) for n in range(count)]


@pytest.fixture
def brand(time_machine):
    time_machine.move_to(NOW)
    term = TermFactory()
    # A quiet baseline: two mentions a day over the past week, counted by a rollup pass.
    baseline = []
    for day in range(1, 8):
        baseline += mentions(1000 + day * 10, 2, LAST_HOUR - timedelta(days=day))
    mentions_ingest(baseline)
    rollups_refresh()
    return term


def test_a_volume_spike_opens_one_alert_with_its_mentions(brand):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    assert alerts_evaluate(now=NOW)["opened"] == 1
    alert = Alert.objects.get(kind=Alert.Kind.VOLUME_SPIKE)
    assert (alert.term, alert.status, alert.observed, alert.opened_at) == (brand, Alert.Status.OPEN, 25, NOW)
    assert alert.mentions.count() == 25


def test_the_same_episode_raises_no_second_alert(brand, time_machine):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    alerts_evaluate(now=NOW)
    alerts_evaluate(now=NOW)  # run twice: nothing new
    time_machine.move_to(NOW + timedelta(hours=1))
    mentions_ingest(mentions(100, 30, WINDOW_START + timedelta(hours=1)))
    rollups_refresh()
    result = alerts_evaluate(now=NOW + timedelta(hours=1))
    assert (result["opened"], result["extended"]) == (0, 1)
    alert = Alert.objects.get(kind=Alert.Kind.VOLUME_SPIKE)
    assert alert.last_seen_at == NOW + timedelta(hours=1)
    assert alert.mentions.count() == 55


def test_a_closed_episode_lets_the_next_spike_open_a_new_alert(brand, make_user):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    alerts_evaluate(now=NOW)
    alert_close(alert=Alert.objects.get(kind=Alert.Kind.VOLUME_SPIKE), by=make_user("ana.insights"))
    alerts_evaluate(now=NOW)
    assert Alert.objects.filter(kind=Alert.Kind.VOLUME_SPIKE).count() == 2


def test_a_negative_surge_opens_its_own_alert(brand):
    mentions_ingest(mentions(1, 12, WINDOW_START, text="carl's soda tastes awful and flat, terrible"))
    alerts_evaluate(now=NOW)
    surge = Alert.objects.get(kind=Alert.Kind.NEGATIVE_SURGE)
    assert surge.observed == 1.0
    assert surge.mentions.count() == 12


def test_an_ordinary_hour_raises_nothing(brand):
    mentions_ingest(mentions(1, 3, WINDOW_START))
    assert alerts_evaluate(now=NOW)["opened"] == 0


def test_a_quiet_episode_closes_by_itself(brand, settings):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    alerts_evaluate(now=NOW)
    later = NOW + timedelta(hours=settings.INSIGHTS_ALERT_QUIET_HOURS + 2)
    assert alerts_evaluate(now=later)["closed"] >= 1
    assert not Alert.objects.exclude(status=Alert.Status.CLOSED).exists()


def test_immediate_subscribers_get_one_email_and_digest_readers_one_digest(
    brand, make_user, django_capture_on_commit_callbacks
):
    ana = make_user("ana.insights")
    other = make_user(email="sam.insights@carlssoda.example", roles=[Role.INSIGHTS_STAFF])
    AlertSubscription.objects.create(user=ana, term=brand, delivery="immediate")
    AlertSubscription.objects.create(user=other, term=brand, delivery="hourly")
    mentions_ingest(mentions(1, 25, WINDOW_START))
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate(now=NOW)
    assert [m.to for m in mail.outbox] == [[ana.email]]
    assert "Volume spike on Carl's Soda" in mail.outbox[0].subject
    assert "25 mentions in an hour" in mail.outbox[0].body
    assert alerts_digest_send() == 1
    assert mail.outbox[1].to == [other.email]
    assert alerts_digest_send() == 0  # nobody gets the same alert twice
    assert len(mail.outbox) == 2


def test_staff_acknowledge_and_close_from_the_page(client, brand, login):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    alerts_evaluate(now=NOW)
    alert = Alert.objects.get(kind=Alert.Kind.VOLUME_SPIKE)
    login(client, "ana.insights")
    page = client.get(f"/insights/alerts/{alert.pk}/")
    assert page.context["page"].paginator.count == 25
    client.post(f"/insights/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by.email) == (Alert.Status.ACKNOWLEDGED, "ana.insights@carlssoda.example")
    client.post(f"/insights/alerts/{alert.pk}/close/")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED
    assert "No open alerts" in client.get("/insights/alerts/").content.decode()


def test_staff_choose_their_alert_emails(client, brand, login):
    ana = login(client, "ana.insights")
    client.post("/insights/alerts/subscriptions/", {f"term-{brand.pk}": "immediate"})
    assert AlertSubscription.objects.get(user=ana).delivery == "immediate"
    client.post("/insights/alerts/subscriptions/", {f"term-{brand.pk}": ""})
    assert not AlertSubscription.objects.filter(user=ana).exists()
    response = client.post("/insights/alerts/subscriptions/", {f"term-{brand.pk}": "every-second"}, follow=True)
    assert "Choose one of the delivery options" in response.content.decode()


def test_a_spike_in_the_current_hour_is_an_alert_within_the_minute(brand, django_capture_on_commit_callbacks):
    """No waiting for the hour to close, nor for a rollup pass: the window slides up to now."""
    AlertSubscription.objects.create(user=brand_follower(), term=brand, delivery="immediate")
    in_this_hour = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    mentions_ingest(mentions(1, 12, in_this_hour))  # 15:00–15:11, ingested at 15:10 (two just ahead of the clock)
    with django_capture_on_commit_callbacks(execute=True):
        result = alerts_evaluate(now=NOW + timedelta(minutes=1))
    assert result["opened"] == 1
    assert Alert.objects.get().observed == 12
    assert len(mail.outbox) == 1


def test_only_the_sixty_minutes_up_to_the_evaluation_count(brand):
    just_outside = item(50, published_at=(NOW - timedelta(minutes=61)).isoformat())
    mentions_ingest([*mentions(1, 9, NOW - timedelta(minutes=50)), just_outside])
    assert alerts_evaluate(now=NOW)["opened"] == 0  # 9 in the window, one short of the minimum
    mentions_ingest([item(51, published_at=(NOW - timedelta(minutes=1)).isoformat())])
    assert alerts_evaluate(now=NOW)["opened"] == 1
    assert Alert.objects.get().observed == 10


def brand_follower():
    from accounts.tests.factories import UserFactory

    return UserFactory(email="sam.insights@carlssoda.example", roles=[Role.INSIGHTS_STAFF])


def test_mentions_stay_when_an_alert_is_deleted(brand):
    mentions_ingest(mentions(1, 25, WINDOW_START))
    alerts_evaluate(now=NOW)
    Alert.objects.all().delete()
    assert Mention.objects.count() == 25 + 14


def test_subscriptions_for_every_term_are_saved_in_one_upsert_and_one_delete(
    brand, make_user, django_assert_num_queries
):
    ana = make_user("ana.insights")
    terms = [brand, *(TermFactory(name=f"Flavour {n}", query=f"flavour{n}") for n in range(6))]
    AlertSubscription.objects.create(user=ana, term=terms[1], delivery="hourly")
    deliveries = {term.pk: ("immediate" if n % 2 else "") for n, term in enumerate(terms)}
    with django_assert_num_queries(4):  # savepoint, INSERT … ON CONFLICT, DELETE, release
        alert_subscriptions_set(user=ana, deliveries=deliveries)
    saved = dict(AlertSubscription.objects.filter(user=ana).values_list("term_id", "delivery"))
    assert saved == {term.pk: "immediate" for n, term in enumerate(terms) if n % 2}
