"""The councils' API under /api/v1/: each module lists its own patterns (seats, meetings, reports)."""

urlpatterns: list = []
