from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pages that span apps (role homes, the staff dashboard) and the demo seed."""

    name = "dashboard"
    verbose_name = "Dashboard"
