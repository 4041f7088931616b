from django.db import models
from django.utils import timezone

WORKER_HEARTBEAT = "worker"  # the heartbeat a worker records for beat's task


class Heartbeat(models.Model):
    """One row per named beat; Celery beat's heartbeat task touches it every minute.

    `/healthz` reads its age to tell that beat and a worker are both alive.
    """

    name = models.CharField(max_length=50, unique=True)
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen_at:%Y-%m-%d %H:%M:%S}"

    def age_seconds(self, now=None) -> float:
        return ((now or timezone.now()) - self.last_seen_at).total_seconds()
