"""Tiny server-side SVG charts for the quarterly reports: the same markup in the page, the print layout and
the PDF (WeasyPrint draws inline SVG), with no JavaScript and nothing fetched.

Each function returns safe SVG markup sized by its viewBox (it scales to its container's width).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 12, 14, 34
CURRENT, PREVIOUS, AXIS = "#0d6efd", "#adb5bd", "#6c757d"


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _svg(body: str, *, title: str, height: int = HEIGHT, kind: str = "lines") -> SafeString:
    return mark_safe(  # noqa: S308 (every text inside is escaped)
        f'<svg class="report-chart report-chart-{kind}" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str) -> SafeString:
    """Lines over `labels` (x), one per (name, values); the first series is drawn strongest. None: a gap."""
    values = [v for _, points in series for v in points if v is not None]
    low, high = min([0.0, *values]), max([1.0, *values])
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    slots = max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return PAD_LEFT + plot_w * i / slots

    def y(v: float) -> float:
        return PAD_TOP + plot_h * (1 - (v - low) / ((high - low) or 1))

    parts = [
        f'<line x1="{PAD_LEFT}" y1="{y(low):.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{y(low):.1f}" stroke="{AXIS}"/>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" y2="{y(low):.1f}" stroke="{AXIS}"/>',
        f'<text x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11" fill="{AXIS}">'
        f"{escape(_fmt(high))}</text>",
        f'<text x="{PAD_LEFT - 4}" y="{y(low):.1f}" text-anchor="end" font-size="11" fill="{AXIS}">'
        f"{escape(_fmt(low))}</text>",
    ]
    step = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" font-size="11" '
                f'fill="{AXIS}">{escape(label)}</text>'
            )
    for n, (name, points) in reversed(list(enumerate(series))):
        colour, width = (CURRENT, 3) if n == 0 else (PREVIOUS, 2)
        runs, run = [], []
        for i, v in enumerate(points):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) == 1:
                cx, cy = r[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="{width}" '
                    f'stroke-linejoin="round"><title>{escape(name)}</title></polyline>'
                )
    legend_x = PAD_LEFT
    for n, (name, _) in enumerate(series):
        colour = CURRENT if n == 0 else PREVIOUS
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 12}" width="12" height="6" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="{HEIGHT - 5}" font-size="11" fill="#212529">{escape(name)}</text>'
        )
        legend_x += 24 + 7 * len(name)
    return _svg("".join(parts), title=title)


def bar_chart(rows: list[tuple[str, float | None, float | None]], *, title: str, percent: bool = False) -> SafeString:
    """Horizontal bars, one per (label, current, previous): the current value strong, the previous one pale
    beneath it. Values may be negative (eNPS): bars grow from zero either way."""
    values = [v for _, c, p in rows for v in (c, p) if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values]) or 1.0
    row_h, label_w = 30, 170
    height = PAD_TOP + row_h * max(len(rows), 1) + 8
    plot_w = WIDTH - label_w - 70

    def x(v: float) -> float:
        return label_w + plot_w * (v - low) / ((high - low) or 1)

    def shown(v: float | None) -> str:
        if v is None:
            return "—"
        return f"{v:.0%}" if percent else _fmt(v)

    parts = [f'<line x1="{x(0):.1f}" y1="{PAD_TOP - 4}" x2="{x(0):.1f}" y2="{height - 6}" stroke="{AXIS}"/>']
    for i, (label, current, previous) in enumerate(rows):
        top = PAD_TOP + i * row_h
        text = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{top + 14}" text-anchor="end" font-size="12" fill="#212529">'
            f"{escape(text)}</text>"
        )
        for value, colour, offset, thick in ((current, CURRENT, 2, 13), (previous, PREVIOUS, 17, 7)):
            if value is None:
                continue
            left, right = sorted((x(0), x(value)))
            parts.append(
                f'<rect x="{left:.1f}" y="{top + offset}" width="{max(right - left, 1):.1f}" height="{thick}" '
                f'fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{WIDTH - 4}" y="{top + 14}" text-anchor="end" font-size="12" fill="#212529">'
            f"{escape(shown(current))}</text>"
        )
    return _svg("".join(parts), title=title, height=height, kind="bars")
