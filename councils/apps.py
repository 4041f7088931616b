from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _oversight_permissions(sender, using="default", **kwargs):
    """After every migrate (and a test database's flush): the councils exist and their groups hold their
    permissions, unless the migration that grants them is unapplied (migrated backwards on purpose)."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from councils.models import Council
    from councils.services.oversight import council_permissions_sync
    from councils.services.seats import councils_ensure

    if using != "default":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    granted = any(app == "councils" and name.endswith("_oversight_group_permissions") for app, name in applied)
    if granted and Council._meta.db_table in connection.introspection.table_names():
        councils_ensure()  # a flush (transactional tests, a restored dump) removes migration 0002's rows
        council_permissions_sync()


class CouncilsConfig(AppConfig):
    """The Brand and Customer Advisory Councils and their quarterly reports."""

    name = "councils"
    verbose_name = "Advisory councils"

    def ready(self):
        post_migrate.connect(_oversight_permissions, sender=self, dispatch_uid="councils_oversight_permissions")
        from councils import signals  # noqa: F401  (connects the receivers)
