"""Day rollups without the channel (DailyTermRollup), filled from the day rollups already counted.

The fill sums every day's rows over channels, as each rollup pass does for the days it recounts
(insights.rollups), in one INSERT … SELECT … GROUP BY: an existing deployment reads the new table
at once, without a rebuild.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    q = schema_editor.quote_name
    target = q(apps.get_model("insights", "DailyTermRollup")._meta.db_table)
    source = q(apps.get_model("insights", "DailyRollup")._meta.db_table)
    keys, counts = ["bucket", "term_id", "label"], ["count", "sentiment_sum", "reach_sum", "engagement_sum"]
    names = ", ".join(q(c) for c in keys + counts)
    grouped = ", ".join(q(c) for c in keys)
    sums = ", ".join(f"SUM({q(c)})" for c in counts)
    schema_editor.execute(f"INSERT INTO {target} ({names}) SELECT {grouped}, {sums} FROM {source} GROUP BY {grouped}")


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_rollup_generation")]

    operations = [
        migrations.CreateModel(
            name="DailyTermRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("bucket", models.DateField(help_text="The day, in the organisation's time zone (TIME_ZONE).")),
                (
                    "label",
                    models.CharField(
                        choices=[
                            ("positive", "Positive"),
                            ("neutral", "Neutral"),
                            ("negative", "Negative"),
                            ("unscored", "Unscored"),
                        ],
                        max_length=10,
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0)),
                ("sentiment_sum", models.FloatField(default=0)),
                ("reach_sum", models.PositiveBigIntegerField(default=0)),
                ("engagement_sum", models.PositiveBigIntegerField(default=0)),
                (
                    "term",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="insights.trackedterm",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="dailytermrollup",
            constraint=models.UniqueConstraint(fields=("bucket", "term", "label"), name="daily_term_rollup_unique"),
        ),
        migrations.AddConstraint(
            model_name="dailytermrollup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("term__isnull", True)),
                fields=("bucket", "label"),
                name="daily_term_rollup_unique_total",
            ),
        ),
        # Rolled back with the table: nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
