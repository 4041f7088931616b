"""The inbox's mentions as a CSV: streamed chunk by chunk, the inbox's filters, formula-safe cells."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from insights.models import Mention
from insights.selectors.mentions import EXPORT_HEADER, mentions_export_rows, mentions_inbox
from insights.services.ingest import mentions_ingest
from insights.tests.factories import TermFactory, item

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_streams_every_mention_of_the_filter_with_a_header(as_ana):
    TermFactory()
    mentions_ingest([item(n, text=f"Carl's Soda is great, number {n}") for n in range(1, 6)])
    mentions_ingest([item(n, text="Carl's Soda is awful, I hate it") for n in range(6, 8)])

    response = as_ana.get("/insights/mentions/export.csv?label=positive")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mentions-')
    rows = _rows(response)
    assert rows[0] == EXPORT_HEADER
    assert len(rows) == 1 + 5
    assert {row[EXPORT_HEADER.index("sentiment_label")] for row in rows[1:]} == {"positive"}
    assert {row[EXPORT_HEADER.index("terms")] for row in rows[1:]} == {"Carl's Soda"}


def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped(as_ana):
    mentions_ingest(
        [
            item(
                1, text='=HYPERLINK("http://evil.example","click")', author={"handle": "@fizzfan42", "name": "+Robin"}
            ),
            item(2, text="-1 for the new can", author={"handle": "fizzfan", "name": "Robin Hart"}),
        ]
    )
    rows = _rows(as_ana.get("/insights/mentions/export.csv"))
    by_id = {row[EXPORT_HEADER.index("external_id")]: row for row in rows[1:]}
    text, handle, name = (EXPORT_HEADER.index(c) for c in ("text", "author_handle", "author_name"))
    assert by_id["post-1"][text] == '\'=HYPERLINK("http://evil.example","click")'
    assert (by_id["post-1"][handle], by_id["post-1"][name]) == ("'@fizzfan42", "'+Robin")
    assert by_id["post-2"][text] == "'-1 for the new can"
    assert by_id["post-2"][handle] == "fizzfan"


def test_chunks_by_keyset_give_every_row_once_newest_first(db, channels):
    mentions_ingest([item(n, text=f"Mention {n}") for n in range(1, 24)])
    rows = list(mentions_export_rows(mentions_inbox(), chunk_size=5))
    ids = [row[0] for row in rows[1:]]
    assert ids == list(Mention.objects.order_by("-published_at", "-id").values_list("pk", flat=True))
    assert len(set(ids)) == 23


def test_a_bad_filter_is_refused_rather_than_exporting_more_than_asked(as_ana):
    response = as_ana.get("/insights/mentions/export.csv?label=furious&start=2026-13-01")
    assert response.status_code == 400
    assert "label" in response.content.decode()
    assert "start" in response.content.decode()


def test_the_inbox_links_its_export_with_its_filters(as_ana):
    TermFactory()
    mentions_ingest([item(1)])
    html = as_ana.get("/insights/?term=Carl%27s+Soda&label=positive").content.decode()
    assert 'href="/insights/mentions/export.csv?term=Carl%27s+Soda&amp;label=positive"' in html
    assert len(_rows(as_ana.get("/insights/mentions/export.csv?term=Carl%27s+Soda&label=positive"))) == 2
