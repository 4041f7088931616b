"""Insights staff and admins manage the councils (schedule meetings): councils.access says so by default.

Idempotent (a group that holds the permission already keeps it once), so another part granting it too is harmless.
"""

from django.db import migrations

# Frozen here on purpose: a migration must not change when the roles do.
MANAGER_GROUPS = ["insights_staff", "admin"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="councils", model="council")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_councils",
        defaults={"name": "Can nominate council members, schedule meetings and publish reports"},
    )
    for group in Group.objects.filter(name__in=MANAGER_GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_meetings_idempotency"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
