from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("staff/", views.staff, name="staff"),
    path("staff/export/<slug:chart>.csv", views.export_chart, name="export_chart"),
]
