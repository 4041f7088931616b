"""No template needs inline script or style, so a strict Content-Security-Policy can refuse them all."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core.charts import LineChart

ROOT = Path(__file__).resolve().parents[2]


def test_charts_render_a_placeholder_and_their_data_but_no_inline_script_or_style():
    html = str(LineChart([{"name": "Clicks", "data": {"2026-01-05": 3}}], height="260px", curve=False))
    assert 'class="chartkick-chart"' in html
    assert '<script id="chart-' in html
    assert 'type="application/json"' in html
    assert '"curve": false' in html
    for what, pattern in INLINE.items():
        assert not pattern.search(html), what


def test_a_chart_height_must_be_a_css_length():
    with pytest.raises(ValueError, match="height"):
        LineChart([], height="1px; background: url(x)")


# --- Templates: what the policy would refuse ---------------------------------------------------

INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _templates() -> list[Path]:
    folders = [ROOT / "templates"] + [ROOT / app / "templates" for app in settings.LOCAL_APPS]
    return sorted(path for folder in folders if folder.exists() for path in folder.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(_templates()) > 50


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    found = {what: m.group(0) for what, pattern in INLINE.items() if (m := pattern.search(text))}
    assert not found, f"{template.relative_to(ROOT)}: {found} (move it to static/ and use a class or data-*)"
