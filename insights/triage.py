"""The rules of triage that ingest, the services and the selectors share: what is a question, when a
first response is due, and which mentions need attention."""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

# A question mark anywhere, or a sentence that opens with a question word ("how do I…", "anyone else…").
QUESTION_WORDS = (
    "who|what|when|where|why|how|which|whose|anyone|anybody|can|could|does|do|did|is|are|was|will|would|should"
    "|qué|cómo|cuándo|dónde|quién|por qué"
)
QUESTION = re.compile(rf"[?¿]|(?:^|[.!;:\n]\s*)(?:{QUESTION_WORDS})\s+\w", re.IGNORECASE)


def is_question(text: str) -> bool:
    """Whether a mention asks something: a question mark, or a sentence that opens with a question word."""
    return QUESTION.search(text) is not None


def response_targets() -> dict[int, int]:
    """Channel id → first-response target in minutes, for the channels that have one."""
    from insights.models import Channel

    return dict(
        Channel.objects.filter(response_target_minutes__isnull=False).values_list("id", "response_target_minutes")
    )


def response_due_at(published_at: datetime, target_minutes: int | None) -> datetime | None:
    return None if target_minutes is None else published_at + timedelta(minutes=target_minutes)


def high_reach() -> int:
    """From how many followers an author's mention needs attention whatever it says."""
    return settings.INSIGHTS_HIGH_REACH


def needs_attention() -> Q:
    """The triage inbox's queue: open mentions that are negative, ask a question, reach many people, were part of
    an alert, or have nobody on them yet."""
    from insights.models import Alert, Mention, Sentiment

    in_alert = Exists(Alert.mentions.through.objects.filter(mention_id=OuterRef("pk")))
    return Q(status__in=[Mention.Status.NEW, Mention.Status.ASSIGNED]) & (
        Q(sentiment_label=Sentiment.NEGATIVE)
        | Q(is_question=True)
        | Q(author_reach__gte=high_reach())
        | Q(in_alert)
        | Q(assignee__isnull=True)
    )
