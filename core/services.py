from django.utils import timezone

from core.models import WORKER_HEARTBEAT, Heartbeat


def heartbeat_record(*, name: str = WORKER_HEARTBEAT) -> Heartbeat:
    """Record that `name` is alive now. Idempotent: one row per name."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen_at": timezone.now()})
    return heartbeat
