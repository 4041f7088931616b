"""Pages of the ambassador program, one module per area; each module lists its own `urlpatterns`."""
