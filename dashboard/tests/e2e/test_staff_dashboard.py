"""The staff dashboard in Chromium: it fits a laptop and a phone, switches range, and a chart's point
or its table's cell opens the matching mentions in the inbox (the page fixtures fail on any CSP violation)."""

import re

import pytest

from dashboard.services import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# The centre of the first bar of the volume chart that has mentions and a link: (x, y) in the canvas.
FIRST_LINKED_BAR = """(holder) => {
  const config = JSON.parse(document.getElementById(holder.dataset.chartkick).textContent);
  const chart = Chart.getChart(holder.querySelector("canvas"));
  for (let s = 0; s < chart.data.datasets.length; s++) {
    const meta = chart.getDatasetMeta(s);
    for (let i = 0; i < meta.data.length; i++) {
      const value = chart.data.datasets[s].data[i];
      const y = value && typeof value === "object" ? value.y : value;
      if (y > 0 && config.links[s][i]) {
        const bar = meta.data[i];
        return {x: bar.x, y: (bar.y + bar.base) / 2, url: config.links[s][i]};
      }
    }
  }
  return null;
}"""


def _scroll_width(pg) -> int:
    return pg.evaluate("document.documentElement.scrollWidth")


def _charts_drawn(pg) -> None:
    pg.wait_for_function("document.querySelectorAll('#chart-volume canvas').length > 0")


def test_the_dashboard_fits_switches_range_and_a_bar_opens_its_mentions(open_page, sign_in, screenshot):
    demo_seed(mentions=400)
    from accounts.models import User

    ana = User.objects.get(email="ana.insights@carlssoda.example")
    page = open_page(viewport=LAPTOP)
    sign_in(ana, on=page)
    page.goto("/staff/")
    _charts_drawn(page)
    assert _scroll_width(page) <= LAPTOP["width"]
    assert page.get_by_role("heading", name="Mentions per day by sentiment").is_visible()
    screenshot(page, "laptop-30-days")

    page.get_by_role("link", name="Last 90 days").click()
    page.wait_for_url(re.compile(r"/staff/\?range=90$"))
    _charts_drawn(page)
    assert page.locator("#range-label").inner_text().startswith("Last 90 days")

    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2025-12-01")
    page.get_by_role("button", name="Show this range").click()
    assert page.get_by_text("Is before the first day.").is_visible()

    page.get_by_role("link", name="Last 30 days").click()
    _charts_drawn(page)
    holder = page.locator("#chart-volume [data-chartkick]")
    bar = holder.evaluate(FIRST_LINKED_BAR)
    assert bar is not None, "no bar with mentions in the last 30 days of the demo"
    holder.scroll_into_view_if_needed()
    box = holder.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_url(re.compile(r"/insights/\?label=\w+&start=[\d-]+&end=[\d-]+$"))
    assert page.url.endswith(bar["url"])
    label = re.search(r"label=(\w+)", bar["url"]).group(1)
    assert page.locator("#f-label").input_value() == label
    assert page.get_by_text(re.compile(r"^\d+ mentions?")).first.is_visible()
    assert page.locator("tbody tr").count() > 0
    screenshot(page, "inbox-from-a-bar")


def test_on_a_phone_the_dashboard_fits_and_a_table_cell_opens_the_inbox(open_page, sign_in, screenshot):
    demo_seed(mentions=300)
    from accounts.models import User

    ana = User.objects.get(email="ana.insights@carlssoda.example")
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(ana, on=phone)
    phone.goto("/staff/?range=7")
    _charts_drawn(phone)
    assert _scroll_width(phone) <= PHONE["width"]
    screenshot(phone, "phone-7-days")

    section = phone.locator("#chart-channels")
    section.get_by_text("Mentions by channel as a table").click()
    assert _scroll_width(phone) <= PHONE["width"]  # the table scrolls inside its box
    link = section.locator("table a").first
    href = link.get_attribute("href")
    link.click()
    phone.wait_for_url(re.compile(r"/insights/\?channel="))
    assert phone.url.endswith(href)
    assert phone.locator("tbody tr").count() > 0
    assert _scroll_width(phone) <= PHONE["width"]
