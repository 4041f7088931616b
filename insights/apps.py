from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Customer Insights Team: listening, sentiment, rollups, alerts, findings."""

    name = "insights"
    verbose_name = "Customer insights"
