"""Calendar quarters in the organisation's time zone (settings.TIME_ZONE): "2026-Q3" and its bounds."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

QUARTER_RE = re.compile(r"^(?P<year>[0-9]{4})-Q(?P<q>[1-4])$")


class QuarterError(ValueError):
    """Not a quarter like "2026-Q3"."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = QUARTER_RE.match(str(text).strip())
        if not match or int(match["year"]) < 1:
            raise QuarterError(f"{text!r} is not a quarter: write it like 2026-Q3.")
        return cls(int(match["year"]), int(match["q"]))

    @classmethod
    def of(cls, moment: datetime | date) -> "Quarter":
        """The quarter that holds `moment` (an aware datetime is read in the organisation's zone)."""
        if isinstance(moment, datetime):
            moment = timezone.localtime(moment, zone()).date()
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> "Quarter":
        return cls.of(timezone.now())

    def __str__(self) -> str:
        return f"{self.year}-Q{self.q}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def start(self) -> datetime:
        """Its first instant, aware, in the organisation's zone."""
        first = self.first_day
        return datetime(first.year, first.month, 1, tzinfo=zone())

    @property
    def end(self) -> datetime:
        """The first instant of the next quarter (exclusive bound)."""
        return self.next.start

    def has_begun(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.start

    def in_progress(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end

    def last(self, n: int) -> list["Quarter"]:
        """This quarter and the n-1 before it, oldest first."""
        quarters = [self]
        while len(quarters) < n:
            quarters.append(quarters[-1].previous)
        return quarters[::-1]


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
