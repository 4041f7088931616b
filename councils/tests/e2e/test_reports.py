"""In Chromium: the Brand council's chair opens last quarter's report, annotates it, publishes it, downloads
its PDF, and the PDF's pages (rendered with pdftoppm) carry the charts; the report fits a 390 px phone and a
1366 px laptop."""

import subprocess

import numpy
import pytest
from PIL import Image

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from councils.models import Report
from councils.quarters import Quarter
from councils.tests.reports_helpers import councils_ensure, member, mentions_in, past_quarter

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 800}


def fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def blue_pixels(png) -> int:
    """Pixels of the charts' blue (#0d6efd)."""
    pixels = numpy.asarray(Image.open(png).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r < 60) & (g > 90) & (g < 130) & (b > 220)).sum())


def test_the_chair_annotates_publishes_and_downloads_the_pdf_with_its_charts(
    channels, open_page, sign_in, phone, screenshot, tmp_path
):
    councils_ensure()
    quarter = past_quarter()
    mentions_in(quarter, 6)
    mentions_in(quarter.previous, 4, first=100, text="Carl's Soda cans are hard to open, disappointing.")
    chair = member("brand", chair=True, name="Cora Chairwood")

    laptop = sign_in(chair, on=open_page(viewport=LAPTOP))
    laptop.goto("/reports/")
    laptop.get_by_role("link", name=str(quarter)).first.click()
    laptop.wait_for_url(f"**/councils/brand/reports/{quarter}/")
    assert laptop.get_by_role("heading", name=f"Brand Advisory Council — {quarter}").is_visible()
    assert laptop.locator("[data-chart=volume] svg polyline").count() >= 1
    assert laptop.locator("[data-chart=share_of_voice] svg rect").count() >= 1
    assert fits(laptop)

    laptop.get_by_label("Notes").fill("Cans: ask the design team for the opening force tests.")
    laptop.get_by_role("button", name="Save the notes").click()
    assert laptop.get_by_text("Notes saved.").is_visible()
    screenshot(laptop, "draft-on-a-laptop")
    laptop.get_by_role("button", name="Publish the report").click()
    assert laptop.get_by_text("its figures will not change any more").is_visible()
    assert laptop.get_by_text("Cans: ask the design team for the opening force tests.").is_visible()
    assert laptop.get_by_role("button", name="Publish the report").count() == 0
    shots = screenshot(laptop, "published-on-a-laptop").parent
    assert Report.objects.get(council__kind="brand", quarter=str(quarter)).status == "published"

    with laptop.expect_download() as download:
        laptop.get_by_role("link", name="Download the PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert blue_pixels(pages[0]) > 500  # the weekly lines and the share-of-voice bars
    for n, png in enumerate(pages, start=1):  # kept beside the screenshots, to look at
        (shots / f"report-pdf-page-{n}.png").write_bytes(png.read_bytes())

    small = sign_in(chair, on=phone)
    small.goto(f"/councils/brand/reports/{quarter}/")
    assert small.get_by_text("Published").first.is_visible()
    assert fits(small)
    screenshot(small, "published-on-a-phone")
    small.goto("/reports/")
    assert fits(small)
    screenshot(small, "index-on-a-phone")

    executive = UserFactory(roles=(Role.EXECUTIVE,), name="Esme Exley")
    reader = sign_in(executive, on=open_page(viewport=LAPTOP))
    reader.goto(f"/councils/customer/reports/{quarter}/")
    assert reader.get_by_role("heading", name=f"Customer Advisory Council — {quarter}").is_visible()
    assert reader.locator("[data-chart=enps] svg").count() == 1
    assert reader.get_by_label("Notes").count() == 0  # executives read; they do not annotate
    assert fits(reader)
    screenshot(reader, "customer-report-on-a-laptop")
    reader.goto(f"/councils/customer/reports/{Quarter.current()}/")
    assert reader.get_by_text("Draft — partial quarter.").is_visible()
    reader.set_viewport_size({"width": 390, "height": 844})
    assert fits(reader)
    screenshot(reader, "partial-customer-report-on-a-phone")
