from insights.views import feeds, imports, pages

app_name = "insights"

# Each page family keeps its routes beside its views.
urlpatterns = pages.urlpatterns + feeds.urlpatterns + imports.urlpatterns
