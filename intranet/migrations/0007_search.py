"""Search for posts and ideas: a stored `search_document` (tsvector) on each, kept by a trigger and
GIN-indexed, on PostgreSQL.

Why stored rather than GIN indexes on the expression `to_tsvector(text)`: the bench (`python -m bench
search`, 100,000 posts) showed that only the match can use an expression index. Ranking, and any plan
that walks the newest posts and filters them, recomputes to_tsvector for each row (about 55 µs each):
200 ms for a word in 15 % of posts, 2.2 s for one in most of them. A stored vector costs a few µs.

A trigger (not the services) fills it, so every writer (services, intranet_import's bulk_create, the
admin, a raw UPDATE) keeps it right. On SQLite the column exists (SQLite takes any column type) but stays
empty: the search falls back to `icontains` there, and the triggers and indexes are not made. The GIN
indexes are not in the models' Meta, which would try to create them on SQLite too.
"""

import django.contrib.postgres.search
from django.db import migrations

SEARCH_CONFIG = "english"

# Each trigger sets the vector before the row is written, when the searched text is among the columns
# written (an INSERT, a save(), an update() of it); `.update(hidden_at=…)` leaves it as it is.
POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION intranet_post_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := to_tsvector('{SEARCH_CONFIG}', COALESCE(NEW.text, ''));
        RETURN NEW;
    END $$;
    CREATE TRIGGER intranet_post_search_document BEFORE INSERT OR UPDATE OF text, search_document
        ON intranet_post FOR EACH ROW EXECUTE FUNCTION intranet_post_search_document();
    UPDATE intranet_post SET text = text;
    CREATE INDEX post_search_idx ON intranet_post USING gin (search_document);
    """,
    f"""
    CREATE FUNCTION intranet_idea_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('{SEARCH_CONFIG}', COALESCE(NEW.title, '')), 'A')
            || setweight(to_tsvector('{SEARCH_CONFIG}', COALESCE(NEW.description, '')), 'B');
        RETURN NEW;
    END $$;
    CREATE TRIGGER intranet_idea_search_document BEFORE INSERT OR UPDATE OF title, description, search_document
        ON intranet_idea FOR EACH ROW EXECUTE FUNCTION intranet_idea_search_document();
    UPDATE intranet_idea SET title = title;
    CREATE INDEX idea_search_idx ON intranet_idea USING gin (search_document);
    """,
]
POSTGRES_BACKWARD = [
    """
    DROP INDEX IF EXISTS post_search_idx;
    DROP TRIGGER IF EXISTS intranet_post_search_document ON intranet_post;
    DROP FUNCTION IF EXISTS intranet_post_search_document();
    DROP INDEX IF EXISTS idea_search_idx;
    DROP TRIGGER IF EXISTS intranet_idea_search_document ON intranet_idea;
    DROP FUNCTION IF EXISTS intranet_idea_search_document();
    """
]


def postgres_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def postgres_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intranet", "0006_posts")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="post",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(postgres_forward, postgres_backward, elidable=False),
    ]
