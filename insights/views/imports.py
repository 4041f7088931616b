# Filled by the imports work; insights/urls.py includes this module's urlpatterns.
urlpatterns: list = []
