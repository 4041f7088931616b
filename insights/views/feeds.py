# Filled by the feeds work; insights/urls.py includes this module's urlpatterns.
urlpatterns: list = []
