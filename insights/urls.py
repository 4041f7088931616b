from insights.views import alerts, channels, feeds, imports, mentions, responses, terms

app_name = "insights"

# Each page family keeps its routes beside its views.
urlpatterns = (
    mentions.urlpatterns
    + terms.urlpatterns
    + channels.urlpatterns
    + alerts.urlpatterns
    + feeds.urlpatterns
    + imports.urlpatterns
    + responses.urlpatterns
)
