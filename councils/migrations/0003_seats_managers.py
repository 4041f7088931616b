"""Insights staff and admins manage the councils (nominate, withdraw, vacate, make chair) by default."""

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


def ungrant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=MANAGER_GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="councils", codename="manage_councils")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_councils_and_seats"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, ungrant)]
