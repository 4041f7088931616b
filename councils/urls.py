"""The councils' pages. Each part (seats, meetings, reports, spotlights) keeps its own patterns beside its views."""

from django.urls import path

from councils import views
from councils.views import meetings, spotlights

app_name = "councils"
urlpatterns = [
    path("councils/", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    *meetings.urlpatterns,
    *spotlights.urlpatterns,
]
