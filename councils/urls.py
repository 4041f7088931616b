"""The councils' pages. Each part (seats, meetings, reports, spotlights) keeps its own patterns beside its views."""

from councils.views import meetings, reports, seats, spotlights

app_name = "councils"
urlpatterns = [
    *meetings.urlpatterns,  # /councils/meetings/…, /councils/<council>/meetings/…
    *spotlights.urlpatterns,  # /spotlights/ (public) and their writing and consent pages
    *reports.urlpatterns,  # councils:reports, the report pages and their PDF
    *seats.urlpatterns,  # councils:index, the council pages, nominations
]
