"""VADER's confidences stored before insights.calibration existed meant "distance to a threshold" (a text with no
sentiment word was "1.00 sure" of neutral). They are recomputed here from what each mention keeps: VADER's label
(model_label) and compound score (sentiment_score), with the calibration table as it is at this migration (frozen
below; tests check it equals insights.calibration). Only the mentions VADER scored (scored_by_version null) are
touched; a learned version's probabilities are calibrated already, and labels, scores and rollups do not change.

Chosen over re-scoring: re-scoring picks up what the active scorer has not scored, and VADER has scored these; the
confidence is a pure function of two stored columns, so one UPDATE per range of ids recomputes it, without running
VADER again. Safe to run twice (the same values), in batches of ids so that a large table is not locked in one go.
"""

from django.db import migrations

BATCH = 100_000
EDGES = (0.2, 0.4, 0.6, 0.8)  # the upper edges of the |compound| bins, after the first (0.05-0.2)
TABLE = {
    "negative": (0.57, 0.57, 0.74, 0.87, 0.95),
    "positive": (0.23, 0.26, 0.27, 0.33, 0.36),
    "neutral": (0.37,) * 5,
}


def confidence_sql() -> tuple[str, list]:
    """A CASE expression of model_label and ABS(sentiment_score), with its parameters."""
    parts, params = [], []
    for label, values in TABLE.items():
        bins = " ".join("WHEN ABS(sentiment_score) < %s THEN %s" for _ in EDGES)
        parts.append(f"WHEN model_label = %s THEN CASE {bins} ELSE %s END")
        params.append(label)
        for edge, value in zip(EDGES, values, strict=False):
            params += [edge, value]
        params.append(values[-1])
    return "CASE " + " ".join(parts) + " END", params


def recompute(apps, schema_editor) -> None:
    Mention = apps.get_model("insights", "Mention")
    connection = schema_editor.connection
    table = connection.ops.quote_name(Mention._meta.db_table)
    expression, params = confidence_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                f"UPDATE {table} SET sentiment_confidence = {expression} "
                "WHERE id >= %s AND id < %s AND scored_by_version IS NULL AND sentiment_score IS NOT NULL "
                "AND model_label IN ('positive', 'neutral', 'negative')",
                [*params, start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch of ids, not one over the whole table

    dependencies = [
        ("insights", "0015_rescore"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
