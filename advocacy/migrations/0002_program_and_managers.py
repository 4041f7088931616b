from django.db import migrations

# Frozen here on purpose: a migration must not change when the roles do. Council members
# can be given the same permission later (a migration of the councils app, or the admin).
MANAGER_GROUPS = ["insights_staff", "admin"]


def create_program_and_grant(apps, schema_editor):
    Program = apps.get_model("advocacy", "Program")
    Program.objects.get_or_create(pk=1)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="advocacy", model="program")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_program",
        defaults={"name": "Can invite ambassadors and manage the program"},
    )
    for group in Group.objects.filter(name__in=MANAGER_GROUPS):
        group.permissions.add(permission)


def ungrant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="advocacy", codename="manage_program").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_program_and_grant, ungrant)]
