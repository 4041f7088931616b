"""Insights staff upload a CSV in the browser, map its columns and watch the import's progress bar move."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from insights.models import Mention, MentionImport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 20_000


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def worker():
    """A real Celery worker on the broker, taking the import task from a queue of its own.

    The tests otherwise run tasks eagerly, which would finish the import inside the POST
    and leave no progress to watch. Our own queue: no other worker takes the task.
    """
    queue = f"test-{uuid.uuid4().hex[:12]}"
    eager, routes = celery_app.conf.task_always_eager, celery_app.conf.task_routes
    celery_app.conf.task_always_eager = False
    celery_app.conf.update(task_routes={"insights.tasks.csv_import_task": {"queue": queue}})
    with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        yield
    celery_app.conf.update(task_routes=routes)
    celery_app.conf.task_always_eager = eager


def mentions_csv(path, rows: int, *, bad_every: int = 1000):
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,message,date,network,likes\r\n")
        for n in range(rows):
            likes = "many" if n % bad_every == 7 else str(n % 50)
            text = f"Carl's Soda cherry is my favourite number {n}"
            out.write(f"m-{n},{text},2026-03-01T10:00:00+00:00,twitter,{likes}\r\n")
    return path


def test_staff_upload_map_and_watch_the_progress_bar_move(page, sign_in, make_user, screenshot, worker, tmp_path):
    ana = make_user("ana.insights")
    sign_in(ana)
    page.wait_for_url("**/staff/")

    page.goto("/insights/imports/")
    page.get_by_label("CSV file", exact=True).set_input_files(str(mentions_csv(tmp_path / "carls-export.csv", ROWS)))
    screenshot(page, "upload")
    page.get_by_role("button", name="Upload and map columns").click()

    page.get_by_role("heading", name="Map the columns of “carls-export.csv”").wait_for()
    assert page.get_by_label("Text").input_value() == "message"  # guessed from the header names
    assert page.get_by_label("Published at").input_value() == "date"
    assert page.get_by_label("Channel (optional)", exact=True).input_value() == "network"
    assert page.get_by_role("cell", name="Carl's Soda cherry is my favourite number 0").is_visible()
    screenshot(page, "map")
    page.get_by_role("button", name="Start the import").click()

    page.get_by_role("heading", name="Import of “carls-export.csv”").wait_for()
    bar = page.get_by_role("progressbar", name="Import progress")
    seen, deadline = [], time.monotonic() + 120
    while time.monotonic() < deadline:
        value = int(bar.get_attribute("aria-valuenow"))
        if not seen or value != seen[-1]:
            seen.append(value)
            if 0 < value < 100 and len([v for v in seen if 0 < v < 100]) == 1:
                screenshot(page, "progress")
        if value == 100:
            break
        time.sleep(0.1)
    assert any(0 < value < 100 for value in seen), f"no intermediate value in {seen}"
    assert seen[-1] == 100, f"the bar stopped at {seen}"
    assert seen == sorted(seen)
    print(f"aria-valuenow seen: {seen}")

    page.get_by_role("link", name="Download the 20 rejected rows with their reasons").wait_for()
    screenshot(page, "done")
    upload = MentionImport.objects.get()
    assert (upload.status, upload.rows_done, upload.created, upload.rejected) == ("done", ROWS, ROWS - 20, 20)
    assert Mention.objects.count() == ROWS - 20
    assert page.locator("[data-count=created]").inner_text() == f"{ROWS - 20:,}"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 20 rejected rows with their reasons").click()
    assert download.value.suggested_filename == "carls-export-rejected.csv"
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("9,engagement.likes (column “likes”): “many” is not a whole number.")  # row 9 = n 7

    page.get_by_role("link", name="CSV imports").click()
    assert page.get_by_role("row", name="carls-export.csv").get_by_text("Done").is_visible()
    screenshot(page, "list")


def test_a_workbook_is_refused_next_to_the_file_field(page, sign_in, make_user, screenshot, tmp_path):
    ana = make_user("ana.insights")
    sign_in(ana)
    page.wait_for_url("**/staff/")

    page.goto("/insights/imports/")
    workbook = tmp_path / "mentions.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200)
    page.get_by_label("CSV file", exact=True).set_input_files(str(workbook))
    page.get_by_role("button", name="Upload and map columns").click()
    error = page.get_by_text("This is not a CSV file: it looks like an Excel workbook (.xlsx)")
    error.wait_for()
    assert page.get_by_label("CSV file", exact=True).get_attribute("aria-invalid") == "true"
    screenshot(page, "refused")
    assert not MentionImport.objects.exists()


def test_a_mapping_submitted_twice_shows_a_message_not_an_error_page(page, sign_in, make_user, screenshot, tmp_path):
    ana = make_user("ana.insights")
    sign_in(ana)
    page.goto("/insights/imports/")
    page.get_by_label("CSV file", exact=True).set_input_files(str(mentions_csv(tmp_path / "twice.csv", 3)))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("heading", name="Map the columns of “twice.csv”").wait_for()
    second_tab = page.context.new_page()
    second_tab.goto(page.url)  # the same form, open twice: a double submission

    page.get_by_role("button", name="Start the import").click()
    page.get_by_role("heading", name="Import of “twice.csv”").wait_for()
    second_tab.get_by_role("button", name="Start the import").click()
    second_tab.get_by_text("This import has already started").wait_for()
    screenshot(second_tab, "second-submit")
    assert Mention.objects.count() == 3
