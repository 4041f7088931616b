"""The councils' API under /api/v1/: each module lists its own patterns (seats, meetings, reports)."""

from councils.api import meetings, reports, seats

urlpatterns: list = [*seats.urlpatterns, *meetings.urlpatterns, *reports.urlpatterns]
