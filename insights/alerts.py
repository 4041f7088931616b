"""Early warning: volume spikes and negative-sentiment surges per tracked term.

Each evaluation looks at the last complete hour of every term against its
trailing baseline (hourly rollups, never raw mentions). A condition that
holds opens an alert, or extends the open one: one alert per episode, held
by a unique constraint. An episode ends when staff close it, or by itself
after INSIGHTS_ALERT_QUIET_HOURS without the condition.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.links import absolute_url
from insights.models import Alert, AlertNotification, AlertSubscription, HourlyRollup, Mention, Sentiment, TrackedTerm

HOUR = timedelta(hours=1)
ALERT_MENTIONS_KEPT = 200


def _last_complete_hour(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - HOUR


def alerts_evaluate(*, now: datetime | None = None) -> dict:
    """Open or extend alerts for the last complete hour; close quiet ones. Safe to run twice."""
    now = now or timezone.now()
    hour = _last_complete_hour(now)
    baseline_hours = settings.INSIGHTS_ALERT_BASELINE_HOURS
    rows = (
        HourlyRollup.objects.filter(term__isnull=False, bucket__gte=hour - baseline_hours * HOUR, bucket__lte=hour)
        .values("term_id", "bucket", "label")
        .annotate(n=Sum("count"))
    )
    current: dict = defaultdict(lambda: defaultdict(int))
    past: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        (current if row["bucket"] == hour else past)[row["term_id"]][row["label"]] += row["n"]

    opened = extended = 0
    for term_id in TrackedTerm.objects.filter(is_active=True).values_list("pk", flat=True):
        for kind, observed, baseline in _conditions(current[term_id], past[term_id], baseline_hours):
            alert, created = _open_or_extend(
                term_id=term_id, kind=kind, hour=hour, observed=observed, baseline=baseline
            )
            opened += created
            extended += not created
    closed = (
        Alert.objects.exclude(status=Alert.Status.CLOSED)
        .filter(last_seen_at__lt=hour - settings.INSIGHTS_ALERT_QUIET_HOURS * HOUR)
        .update(status=Alert.Status.CLOSED, closed_at=now)
    )
    return {"hour": hour.isoformat(), "opened": opened, "extended": extended, "closed": closed}


def _conditions(now_counts: dict, past_counts: dict, baseline_hours: int):
    """Yield (kind, observed, baseline) for each condition that holds in the hour."""
    volume = sum(now_counts.values())
    baseline_volume = sum(past_counts.values()) / baseline_hours
    if volume >= settings.INSIGHTS_ALERT_MIN_MENTIONS and volume >= settings.INSIGHTS_ALERT_VOLUME_RATIO * max(
        baseline_volume, 1.0
    ):
        yield Alert.Kind.VOLUME_SPIKE, float(volume), round(baseline_volume, 3)

    def negative_share(counts):
        scored = counts[Sentiment.POSITIVE] + counts[Sentiment.NEUTRAL] + counts[Sentiment.NEGATIVE]
        return (counts[Sentiment.NEGATIVE] / scored if scored else 0.0), scored

    share, scored = negative_share(now_counts)
    baseline_share, _ = negative_share(past_counts)
    if (
        scored >= settings.INSIGHTS_ALERT_MIN_MENTIONS
        and share >= settings.INSIGHTS_ALERT_NEGATIVE_SHARE
        and share >= baseline_share + settings.INSIGHTS_ALERT_NEGATIVE_RISE
    ):
        yield Alert.Kind.NEGATIVE_SURGE, round(share, 3), round(baseline_share, 3)


def _open_or_extend(*, term_id, kind, hour, observed, baseline) -> tuple[Alert, bool]:
    mentions = Mention.objects.filter(terms__id=term_id, published_at__gte=hour, published_at__lt=hour + HOUR)
    if kind == Alert.Kind.NEGATIVE_SURGE:
        mentions = mentions.filter(sentiment_label=Sentiment.NEGATIVE)
    mention_ids = list(mentions.order_by("-author_reach").values_list("pk", flat=True)[:ALERT_MENTIONS_KEPT])
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .exclude(status=Alert.Status.CLOSED)
            .filter(term_id=term_id, kind=kind)
            .first()
        )
        created = alert is None
        if created:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        term_id=term_id,
                        kind=kind,
                        opened_at=hour,
                        last_seen_at=hour,
                        observed=observed,
                        baseline=baseline,
                    )
            except IntegrityError:  # another evaluation opened it a moment ago
                alert = Alert.objects.exclude(status=Alert.Status.CLOSED).get(term_id=term_id, kind=kind)
                created = False
        if not created and hour > alert.last_seen_at:
            alert.last_seen_at, alert.observed, alert.baseline = hour, observed, baseline
            alert.save(update_fields=["last_seen_at", "observed", "baseline"])
        alert.mentions.add(*mention_ids)
        if created:
            _queue_notifications(alert)
    return alert, created


def _queue_notifications(alert: Alert) -> None:
    """Subscribers by email at once get it now (after commit); digest readers at the hour."""
    from insights.tasks import alert_email_task

    subscriptions = AlertSubscription.objects.filter(term_id=alert.term_id)
    AlertNotification.objects.bulk_create(
        [AlertNotification(alert=alert, user_id=s.user_id) for s in subscriptions], ignore_conflicts=True
    )
    if subscriptions.filter(delivery=AlertSubscription.Delivery.IMMEDIATE).exists():
        transaction.on_commit(lambda: alert_email_task.delay(alert.pk))


def alert_email_send(*, alert_id: int) -> int:
    """Email an alert to its immediate subscribers who have not had it. Safe to run twice."""
    alert = Alert.objects.select_related("term").get(pk=alert_id)
    pending = AlertNotification.objects.filter(
        alert=alert,
        sent_at__isnull=True,
        user__alert_subscriptions__term_id=alert.term_id,
        user__alert_subscriptions__delivery=AlertSubscription.Delivery.IMMEDIATE,
    ).select_related("user")
    sent = 0
    for notification in pending:
        body = render_to_string(
            "insights/email/alert.txt", {"alerts": [alert], "user": notification.user, "base": _base_url()}
        )
        send_mail(f"[Rapport] {alert}", body, None, [notification.user.email])
        AlertNotification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def alerts_digest_send() -> int:
    """One email per digest subscriber with every alert they have not had yet."""
    pending = (
        AlertNotification.objects.filter(sent_at__isnull=True)
        .select_related("alert__term", "user")
        .order_by("user_id", "alert__opened_at")
    )
    by_user: dict = defaultdict(list)
    for notification in pending:
        by_user[notification.user].append(notification)
    for user, notifications in by_user.items():
        alerts = [n.alert for n in notifications]
        body = render_to_string("insights/email/alert.txt", {"alerts": alerts, "user": user, "base": _base_url()})
        subject = f"[Rapport] {len(alerts)} new alert{'s' if len(alerts) > 1 else ''} this hour"
        send_mail(subject, body, None, [user.email])
        AlertNotification.objects.filter(pk__in=[n.pk for n in notifications]).update(sent_at=timezone.now())
    return len(by_user)


def _base_url() -> str:
    return absolute_url(reverse("insights:alerts"))


class AlertClosed(ApplicationError):
    code = "alert_closed"


def alert_acknowledge(*, alert: Alert, by) -> Alert:
    """Staff take it on: still open to new mentions of the same episode."""
    if alert.status == Alert.Status.CLOSED:
        raise AlertClosed("This alert is closed already.")
    alert.status, alert.acknowledged_by, alert.acknowledged_at = Alert.Status.ACKNOWLEDGED, by, timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert


def alert_close(*, alert: Alert, by) -> Alert:
    """End the episode; the next spike opens a new alert. Idempotent."""
    if alert.status != Alert.Status.CLOSED:
        alert.status, alert.closed_by, alert.closed_at = Alert.Status.CLOSED, by, timezone.now()
        alert.save(update_fields=["status", "closed_by", "closed_at"])
    return alert


def alert_subscriptions_set(*, user, deliveries: dict[int, str]) -> None:
    """Set the user's delivery per term id: 'immediate', 'hourly' or '' to stop following it."""
    with transaction.atomic():
        for term_id, delivery in deliveries.items():
            if delivery:
                AlertSubscription.objects.update_or_create(user=user, term_id=term_id, defaults={"delivery": delivery})
            else:
                AlertSubscription.objects.filter(user=user, term_id=term_id).delete()
