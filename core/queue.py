"""Queue Celery work from a service without importing the task's module.

Tasks import services (they are thin adapters over them); if services imported
tasks too, every app would have an import cycle. A service names the task
instead, and the task is queued only once the transaction commits, so a
rolled-back write queues nothing.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def task_queue_on_commit(name: str, *args) -> None:
    """Queue the task at dotted path `name` (e.g. "insights.tasks.term_rematch_task") after commit."""
    transaction.on_commit(lambda: import_string(name).delay(*args))
