"""The inbox's source, date and import filters, and the link from a finished import to its mentions."""

import pytest
from django.urls import reverse

from insights.models import MentionImport
from insights.services.csv_import import import_start, import_upload
from insights.services.ingest import mentions_ingest
from insights.tests.factories import item
from insights.tests.test_csv_import import COLUMNS, a_file, csv_bytes, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture(autouse=True)
def utc(settings):
    settings.TIME_ZONE = "UTC"


def test_the_inbox_filters_by_source_and_publication_days(as_ana):
    mentions_ingest(
        [
            item(1, text="Carl's Soda alpha", published_at="2026-03-01T10:00:00+00:00"),
            item(2, text="Carl's Soda bravo", published_at="2026-03-03T23:30:00+00:00"),
            item(3, text="Carl's Soda charlie", published_at="2026-03-05T10:00:00+00:00"),
            item(4, text="Carl's Soda delta", source="other-tool", published_at="2026-03-03T10:00:00+00:00"),
        ]
    )
    page = as_ana.get("/insights/", {"source": "listening-tool", "start": "2026-03-02", "end": "2026-03-03"})
    body = page.content.decode()
    assert "bravo" in body
    assert "alpha" not in body
    assert "charlie" not in body
    assert "delta" not in body
    assert "1 mention" in body


def test_an_end_before_the_start_is_shown_and_left_out(as_ana):
    mentions_ingest([item(1, text="Carl's Soda alpha", published_at="2026-03-01T10:00:00+00:00")])
    body = as_ana.get("/insights/", {"start": "2026-03-02", "end": "2026-03-01"}).content.decode()
    assert "Is before the start date." in body


def _import(ana, django_capture_on_commit_callbacks, rows, columns):
    upload = import_upload(file=a_file(csv_bytes(rows)), user=ana)
    with django_capture_on_commit_callbacks(execute=True):
        import_start(upload=upload, mapping={"columns": columns, "source": "csv", "channel": ""})
    upload.refresh_from_db()
    assert upload.status == MentionImport.Status.DONE
    return upload


def test_a_finished_import_links_to_exactly_the_mentions_it_created(
    as_ana, ana, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    numbered = {k: v for k, v in COLUMNS.items() if k != "external_id"}
    first = _import(ana, django_capture_on_commit_callbacks, [row(1), row(2)], numbered)
    second = _import(ana, django_capture_on_commit_callbacks, [row(3, message="Carl's Soda other file")], numbered)
    detail = as_ana.get(reverse("insights:import_detail", args=[first.pk])).content.decode()
    link = f"/insights/?import={first.pk}"
    assert link in detail
    assert "See the 2 mentions it created" in detail
    with django_assert_max_num_queries(13):
        listing = as_ana.get(link).content.decode()
    assert "2 mentions" in listing
    assert "number 1 is great" in listing
    assert "other file" not in listing
    assert (
        f"/insights/?import={second.pk}"
        in as_ana.get(reverse("insights:import_detail", args=[second.pk])).content.decode()
    )


def test_an_import_with_its_own_ids_links_to_its_source(as_ana, ana, django_capture_on_commit_callbacks):
    upload = _import(ana, django_capture_on_commit_callbacks, [row(1)], COLUMNS)
    detail = as_ana.get(reverse("insights:import_detail", args=[upload.pk])).content.decode()
    assert "/insights/?source=csv" in detail
    assert f"?import={upload.pk}" not in detail
