"""The two councils, their groups and their six seats each: rows every installation has."""

from django.db import migrations

COUNCILS = [
    (
        "brand",
        "Brand Advisory Council",
        "Oversees the ambassador program and works with the insights team, so that the company has the most "
        "accurate information about its customers.",
        {"brand_advocate": 4, "customer_advocate": 2},
    ),
    (
        "customer",
        "Customer Advisory Council",
        "Oversees the intranet and carries the company's internal conversation out to its customers.",
        {"customer_advocate": 4, "brand_advocate": 2},
    ),
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Council = apps.get_model("councils", "Council")
    Seat = apps.get_model("councils", "Seat")
    for kind, name, purpose, composition in COUNCILS:
        group, _ = Group.objects.get_or_create(name=name)
        council, _ = Council.objects.get_or_create(
            kind=kind, defaults={"name": name, "purpose": purpose, "group": group}
        )
        number = 0
        for seat_kind, count in composition.items():
            for _ in range(count):
                number += 1
                Seat.objects.get_or_create(council=council, number=number, defaults={"kind": seat_kind})


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
