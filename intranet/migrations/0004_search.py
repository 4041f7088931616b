"""GIN indexes for the intranet search, on PostgreSQL only.

Each indexes exactly the expression intranet.search_selectors searches (PostgreSQL uses an expression
index only for the same expression), so a search is an index scan however many posts and ideas there
are. SQLite has no full-text search of this kind: there the search falls back to `icontains` and this
migration does nothing. The indexes are not in the models' Meta, which would try to create them on
SQLite too; so Django's migration state does not know them, and `makemigrations` never asks about them.
"""

from django.db import migrations

SEARCH_CONFIG = "english"


def _indexes():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return [
        ("Post", GinIndex(SearchVector("text", config=SEARCH_CONFIG), name="post_search_idx")),
        (
            "Idea",
            GinIndex(
                SearchVector("title", config=SEARCH_CONFIG, weight="A")
                + SearchVector("description", config=SEARCH_CONFIG, weight="B"),
                name="idea_search_idx",
            ),
        ),
    ]


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.add_index(apps.get_model("intranet", model_name), index)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.remove_index(apps.get_model("intranet", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("intranet", "0003_posts_feedback")]

    operations = [migrations.RunPython(indexes_create, indexes_drop, elidable=False)]
