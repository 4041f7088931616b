"""Charts (Chart.js through chartkick.js) that render under the strict Content-Security-Policy.

chartkick's own `chartkick.django.LineChart` writes an inline `<script>` and a `style="…"` attribute, both
of which the policy refuses. These classes take the same arguments and render only a placeholder and a
JSON data block; static/js/charts.js draws them (templates load it with `includes/chart_scripts.html`).
"""

import re
import secrets

from django.utils.html import format_html, json_script

CSS_LENGTH = re.compile(r"^[0-9.]+(px|em|rem|%|vh)?$")


class Chart:
    type = ""

    def __init__(self, data, *, height: str = "300px", loading: str = "Loading…", links=None, **options):
        """`links`, when given, makes points clickable: `links[s][i]` is where the i-th point of the
        s-th series leads (None: nowhere), in the order of `data` (a series' points sorted by x)."""
        if not CSS_LENGTH.match(str(height)):
            raise ValueError(f"Invalid chart height {height!r}")
        self.element_id = "chart-" + secrets.token_hex(8)
        self.height = str(height)
        self.loading = loading
        self.data = list(data.items()) if isinstance(data, dict) else data  # keeps the order in JavaScript
        self.options = options
        self.links = links

    def __str__(self) -> str:
        config = {"type": self.type, "height": self.height, "data": self.data, "options": self.options}
        if self.links:
            config["links"] = self.links
        return format_html(
            '<div id="{}" class="chartkick-chart" data-chartkick="{}-config">{}</div>\n{}',
            self.element_id,
            self.element_id,
            self.loading,
            json_script(config, element_id=f"{self.element_id}-config"),
        )

    __html__ = __str__


class LineChart(Chart):
    type = "LineChart"


class ColumnChart(Chart):
    type = "ColumnChart"


class BarChart(Chart):
    type = "BarChart"
