"""The rollup generation: one row whose token every rollup pass replaces (insights.rollups).

Plain SQL, without a model: only the rollup pass writes it, and cached API answers are keyed by it.
"""

import uuid

from django.db import migrations


def create(apps, schema_editor):
    table = schema_editor.quote_name("insights_rollupgeneration")
    schema_editor.execute(f"CREATE TABLE {table} (id integer NOT NULL PRIMARY KEY, token varchar(32) NOT NULL)")
    schema_editor.execute(f"INSERT INTO {table} (id, token) VALUES (1, %s)", [uuid.uuid4().hex])


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('insights_rollupgeneration')}")


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_feeds_imports_alerts")]

    operations = [migrations.RunPython(create, drop)]
