from django.urls import path

from advocacy import views

app_name = "advocacy"
urlpatterns = [path("", views.portal, name="portal")]
