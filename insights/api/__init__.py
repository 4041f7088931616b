"""The listening API under /api/v1/, one module per area; `insights.api.urls.urlpatterns` lists them all."""
