"""Overdue mentions, told once: an email to whoever is on the mention when it passes its first-response target."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core.links import absolute_url
from core.queue import task_queue_on_commit
from insights.links import mention_path
from insights.models import Mention

logger = logging.getLogger(__name__)

BATCH = 200  # mentions claimed per transaction
MAX_BATCHES = 50  # per run: a flood (a target lowered on a busy channel) spreads over the next minutes


def _recipient(mention: Mention) -> User | None:
    """The assignee, or when nobody (active) is assigned, the channel's owner; None when neither."""
    for person in (mention.assignee, mention.channel.owner):
        if person is not None and person.is_active:
            return person
    return None


def overdue_notices_queue() -> int:
    """Claim the mentions that have become overdue and queue one email each, once. Returns how many were claimed.

    A mention is told about when it has no response, needs one (status not no_action), passed its due time within
    the last INSIGHTS_OVERDUE_EMAIL_WINDOW_HOURS (older ones are in the overdue queue; a mail about them would be
    noise, e.g. after a target was lowered), and arrived before it was due: history imported already overdue is
    never emailed about. `overdue_notified_at` is set in the transaction that queues the email (on commit), on
    rows locked with SKIP LOCKED, so two workers never claim the same mention. With nobody to tell, the mention is
    claimed all the same, and the log says so.
    """
    claimed = 0
    for _ in range(MAX_BATCHES):
        now = timezone.now()
        window = timedelta(hours=settings.INSIGHTS_OVERDUE_EMAIL_WINDOW_HOURS)
        with transaction.atomic():
            batch = list(
                Mention.objects.filter(
                    first_response_at__isnull=True,
                    overdue_notified_at__isnull=True,
                    response_due_at__lte=now,
                    response_due_at__gt=now - window,
                    received_at__lte=F("response_due_at"),
                )
                .exclude(status=Mention.Status.NO_ACTION)
                .select_related("assignee", "channel__owner")
                .order_by("response_due_at", "pk")
                .select_for_update(skip_locked=True, of=("self",))[:BATCH]
            )
            if not batch:
                break
            Mention.objects.filter(pk__in=[m.pk for m in batch]).update(overdue_notified_at=now)
            for mention in batch:
                recipient = _recipient(mention)
                if recipient is None:
                    logger.info(
                        "Mention %s on %s is overdue, but nobody is assigned and the channel has no owner: no email",
                        mention.pk,
                        mention.channel.slug,
                    )
                else:
                    task_queue_on_commit("insights.tasks.overdue_email_task", mention.pk, recipient.pk)
        claimed += len(batch)
        if len(batch) < BATCH:
            break
    return claimed


def overdue_email_send(*, mention_id: int, user_id: int) -> bool:
    """Send one overdue email (queued by overdue_notices_queue). Nothing when the mention was answered or marked
    no action meanwhile, or the person can no longer sign in. Returns whether a mail went."""
    mention = Mention.objects.select_related("channel").filter(pk=mention_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if mention is None or user is None or mention.first_response_at is not None:
        return False
    if mention.status == Mention.Status.NO_ACTION:
        return False
    body = render_to_string(
        "insights/email/overdue.txt",
        {"mention": mention, "user": user, "link": absolute_url(mention_path(mention.pk)), "now": timezone.now()},
    )
    send_mail(f"[Rapport] Overdue on {mention.channel.name}: a mention waits for an answer", body, None, [user.email])
    return True
