from django.db import migrations

# Frozen here on purpose: the departments that findings are routed to from the start (DESIGN.md).
# Admins add more in the Django admin.
DEPARTMENTS = [
    ("marketing", "Marketing"),
    ("pr", "PR"),
    ("customer-service", "Customer service"),
    ("product-design", "Product development and design"),
]


def create_departments(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for slug, name in DEPARTMENTS:
        Department.objects.get_or_create(slug=slug, defaults={"name": name})


def remove_departments(apps, schema_editor):
    apps.get_model("accounts", "Department").objects.filter(slug__in=[slug for slug, _ in DEPARTMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_department")]

    operations = [migrations.RunPython(create_departments, remove_departments)]
