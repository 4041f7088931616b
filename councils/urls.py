"""The councils' pages. Each part (seats, meetings, reports, spotlights) keeps its own patterns beside its views."""

from councils.views import reports, seats

app_name = "councils"
urlpatterns = [
    *reports.urlpatterns,  # councils:reports, the report pages and their PDF
    *seats.urlpatterns,  # councils:index, the council pages, nominations
]
