from insights.views import alerts, channels, feeds, findings, imports, mentions, responses, sentiment, terms, triage

app_name = "insights"

# Each page family keeps its routes beside its views.
urlpatterns = (
    mentions.urlpatterns
    + triage.urlpatterns
    + terms.urlpatterns
    + channels.urlpatterns
    + alerts.urlpatterns
    + feeds.urlpatterns
    + imports.urlpatterns
    + findings.urlpatterns
    + responses.urlpatterns
    + sentiment.urlpatterns
)
