"""The councils' pages. Each part (seats, meetings, reports, spotlights) keeps its own patterns beside its views."""

from django.urls import path

from councils import views
from councils.views import seats

app_name = "councils"
urlpatterns = [
    *seats.urlpatterns,  # councils:index, the council pages, nominations
    path("reports/", views.reports, name="reports"),
]
