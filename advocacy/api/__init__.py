"""The program's API under /api/v1/, one module per area; `advocacy.api.urls.urlpatterns` lists them all."""
