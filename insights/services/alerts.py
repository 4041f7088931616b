"""Early warning: volume spikes and negative-sentiment surges per tracked term.

Each evaluation (beat: every minute) counts every term's mentions in the 60
minutes up to now, read from indexed mentions so that a spike ingested a moment
ago counts, against the trailing baseline of the complete hours before that
window (hourly rollups). A condition that holds opens an alert, or extends the
open one: one alert per episode, held by a unique constraint. An episode ends
when staff close it, or by itself after INSIGHTS_ALERT_QUIET_HOURS without the
condition.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.links import absolute_url
from core.queue import task_queue_on_commit
from insights.models import (
    Alert,
    AlertNotification,
    AlertSubscription,
    HourlyRollup,
    Mention,
    MentionTerm,
    Sentiment,
    TrackedTerm,
)
from insights.services.rollups import hour_of

HOUR = timedelta(hours=1)
WINDOW = timedelta(minutes=60)
ALERT_MENTIONS_KEPT = 200


def _counts(rows, term_key: str, label_key: str) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row[term_key]][row[label_key]] += row["n"]
    return counts


def alerts_evaluate(*, now: datetime | None = None, notify: bool = True) -> dict:
    """Open or extend alerts for the 60 minutes up to `now`; close quiet ones. Safe to run twice.

    `notify=False` opens alerts without telling anyone (a replay of the past, see alerts_replay())."""
    now = (now or timezone.now()).astimezone(UTC)
    window_start = now - WINDOW
    baseline_end = hour_of(window_start)  # the complete hours before the window
    baseline_hours = settings.INSIGHTS_ALERT_BASELINE_HOURS
    past = _counts(
        HourlyRollup.objects.filter(
            term__isnull=False, bucket__gte=baseline_end - baseline_hours * HOUR, bucket__lt=baseline_end
        )
        .values("term_id", "label")
        .annotate(n=Sum("count")),
        "term_id",
        "label",
    )
    current = _counts(
        MentionTerm.objects.filter(mention__published_at__gt=window_start, mention__published_at__lte=now)
        .values("term_id", "mention__sentiment_label")
        .annotate(n=Count("pk")),
        "term_id",
        "mention__sentiment_label",
    )

    opened = extended = 0
    for term_id in TrackedTerm.objects.filter(is_active=True, pk__in=list(current)).values_list("pk", flat=True):
        for kind, observed, baseline in _conditions(current[term_id], past[term_id], baseline_hours):
            alert, created = _open_or_extend(
                term_id=term_id, kind=kind, now=now, observed=observed, baseline=baseline, notify=notify
            )
            opened += created
            extended += not created
    closed = (
        Alert.objects.exclude(status=Alert.Status.CLOSED)
        .filter(last_seen_at__lt=now - settings.INSIGHTS_ALERT_QUIET_HOURS * HOUR)
        .update(status=Alert.Status.CLOSED, closed_at=now)
    )
    return {"window_end": now.isoformat(), "opened": opened, "extended": extended, "closed": closed}


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


def alerts_replay(*, start: datetime, end: datetime) -> int:
    """Evaluate hour by hour from `start` to `end` as beat would have, without notifying anyone: the
    alerts of mentions loaded after the fact (the demo, a backfilled archive). Returns the alerts opened."""
    opened, moment = 0, start
    while moment <= end:
        opened += alerts_evaluate(now=moment, notify=False)["opened"]
        moment += HOUR
    return opened


def _open_or_extend(*, term_id, kind, now, observed, baseline, notify) -> tuple[Alert, bool]:
    mentions = Mention.objects.filter(terms__id=term_id, published_at__gt=now - WINDOW, published_at__lte=now)
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
                        opened_at=now,
                        last_seen_at=now,
                        observed=observed,
                        baseline=baseline,
                    )
            except IntegrityError:  # another evaluation opened it a moment ago
                alert = Alert.objects.exclude(status=Alert.Status.CLOSED).get(term_id=term_id, kind=kind)
                created = False
        if not created and now > alert.last_seen_at:
            alert.last_seen_at, alert.observed, alert.baseline = now, observed, baseline
            alert.save(update_fields=["last_seen_at", "observed", "baseline"])
        alert.mentions.add(*mention_ids)
        if created and notify:
            _queue_notifications(alert)
    return alert, created


def _queue_notifications(alert: Alert) -> None:
    """Subscribers by email at once get it now (after commit); digest readers at the hour."""
    subscriptions = AlertSubscription.objects.filter(term_id=alert.term_id)
    AlertNotification.objects.bulk_create(
        [AlertNotification(alert=alert, user_id=s.user_id) for s in subscriptions], ignore_conflicts=True
    )
    if subscriptions.filter(delivery=AlertSubscription.Delivery.IMMEDIATE).exists():
        task_queue_on_commit("insights.tasks.alert_email_task", alert.pk)


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
    """Staff take it on: still open to new mentions of the same episode. The row is locked, so an
    acknowledgement and a close (or the evaluation closing a quiet episode) never overwrite each other."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status == Alert.Status.CLOSED:
            raise AlertClosed("This alert is closed already.")
        locked.status, locked.acknowledged_by, locked.acknowledged_at = Alert.Status.ACKNOWLEDGED, by, timezone.now()
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return locked


def alert_close(*, alert: Alert, by) -> Alert:
    """End the episode; the next spike opens a new alert. Idempotent; the row is locked."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status != Alert.Status.CLOSED:
            locked.status, locked.closed_by, locked.closed_at = Alert.Status.CLOSED, by, timezone.now()
            locked.save(update_fields=["status", "closed_by", "closed_at"])
    return locked


def alert_subscriptions_set(*, user, deliveries: dict[int, str]) -> None:
    """Set the user's delivery per term id: 'immediate', 'hourly' or '' to stop following it.

    One upsert for the terms followed and one delete for the others, in one transaction."""
    followed = {term_id: delivery for term_id, delivery in deliveries.items() if delivery}
    with transaction.atomic():
        AlertSubscription.objects.bulk_create(
            [
                AlertSubscription(user=user, term_id=term_id, delivery=delivery)
                for term_id, delivery in followed.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "term"],
            update_fields=["delivery"],
        )
        AlertSubscription.objects.filter(user=user, term_id__in=set(deliveries) - set(followed)).delete()
