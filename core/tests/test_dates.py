"""Dates read the same everywhere: the project's formats, and "3 minutes ago" within the last day."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[2]
NAMED_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"}
MACHINE_FORMATS = {"c"}  # ISO 8601 for <time datetime="…">, read by machines, not people
NOW = datetime(2026, 11, 3, 19, 5, tzinfo=UTC)  # 14:05 in New York (TIME_ZONE)


def render(source: str, **context) -> str:
    return Template("{% load rapport %}" + source).render(Context(context))


def test_a_date_uses_the_project_format():
    assert render("{{ d|date }}", d=date(2026, 11, 3)) == "3 Nov 2026"


def test_a_moment_uses_the_project_format_in_the_organisations_time_zone():
    assert render('{{ t|date:"DATETIME_FORMAT" }}', t=NOW) == "3 Nov 2026, 14:05"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (NOW - timedelta(seconds=20), "just now"),
        (NOW - timedelta(minutes=3), "3 minutes ago"),
        (NOW - timedelta(hours=5, minutes=10), "5 hours ago"),
        (NOW - timedelta(hours=23, minutes=59), "23 hours ago"),
        (NOW - timedelta(days=2), "1 Nov 2026, 14:05"),
        (NOW + timedelta(hours=2), "3 Nov 2026, 16:05"),  # the future is a date, not "in 2 hours"
    ],
)
def test_when_is_relative_within_the_last_day_and_a_date_before(moment, shown):
    assert render("{{ t|when }}", t=moment).replace("\xa0", " ") == shown  # a no-break space keeps "3 minutes" whole


def test_when_shows_a_day_as_a_date():
    assert render("{{ d|when }}", d=date(2026, 11, 3)) == "3 Nov 2026"


def test_when_leaves_nothing_for_nothing():
    assert render("{{ t|when }}", t=None) == ""


def test_no_template_spells_out_its_own_date_format():
    ad_hoc = []
    for template in sorted(ROOT.glob("*/templates/**/*.*")) + sorted(ROOT.glob("templates/**/*.*")):
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", template.read_text()):
            if fmt not in NAMED_FORMATS | MACHINE_FORMATS:
                ad_hoc.append(f"{template.relative_to(ROOT)}: {fmt}")
    assert ad_hoc == []
