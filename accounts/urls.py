from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/api-keys/", views.api_keys, name="api_keys"),
    path("settings/api-keys/<slug:prefix>/revoke/", views.api_key_revoke_view, name="api_key_revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notifications_badge, name="notifications_badge"),
    path("notifications/digest/", views.notifications_digest, name="notifications_digest"),
]
