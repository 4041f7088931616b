"""Oversight permissions: each council's group gets what its members may do in the program and the
intranet, and the staff roles that run the councils get `councils.manage_councils`.

Frozen here on purpose (a migration must not change when the code does); councils.services.oversight
keeps the same list and tops it up after every migrate.
"""

from django.db import migrations

# (app_label, model, codename, name): created here if `migrate` has not made them yet (a new installation).
PERMISSIONS = {
    "advocacy.read_program": ("advocacy", "program", "Can see the program's pages, read-only"),
    "advocacy.propose_invitation": (
        "advocacy",
        "program",
        "Can propose an invitation for a program manager to confirm",
    ),
    "intranet.moderate_intranet": (
        "intranet",
        "post",
        "Can hide intranet posts and comments and work the report queue",
    ),
    "councils.manage_councils": (
        "councils",
        "council",
        "Can nominate council members, schedule meetings and publish reports",
    ),
    "councils.publish_spotlights": ("councils", "council", "Can publish employee spotlights"),
    "councils.propose_invitations": (
        "councils",
        "council",
        "Can propose ambassador invitations for a manager to confirm",
    ),
}
COUNCIL_GRANTS = {
    "brand": ["advocacy.read_program", "advocacy.propose_invitation", "councils.propose_invitations"],
    "customer": ["intranet.moderate_intranet", "councils.publish_spotlights"],
}
ROLE_GRANTS = {"insights_staff": ["councils.manage_councils"], "admin": ["councils.manage_councils"]}


def _permission(apps, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, model, label = PERMISSIONS[name]
    codename = name.split(".", 1)[1]
    existing = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if existing:
        return existing
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.create(content_type=content_type, codename=codename, name=label)


def grant(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    Group = apps.get_model("auth", "Group")
    for council in Council.objects.select_related("group"):
        council.group.permissions.add(*(_permission(apps, name) for name in COUNCIL_GRANTS.get(council.kind, [])))
    for group in Group.objects.filter(name__in=ROLE_GRANTS):
        group.permissions.add(*(_permission(apps, name) for name in ROLE_GRANTS[group.name]))


def ungrant(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def rows(names):
        return [
            p
            for name in names
            for p in Permission.objects.filter(
                content_type__app_label=name.split(".")[0], codename=name.split(".", 1)[1]
            )
        ]

    for council in Council.objects.select_related("group"):
        council.group.permissions.remove(*rows(COUNCIL_GRANTS.get(council.kind, [])))
    for group in Group.objects.filter(name__in=ROLE_GRANTS):
        group.permissions.remove(*rows(ROLE_GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_councils_and_seats"),
        ("advocacy", "0009_oversight_proposals"),
        ("intranet", "0003_posts_feedback"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, ungrant)]
