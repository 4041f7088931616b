from django.urls import path

from intranet import views

app_name = "intranet"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/new/", views.new_joiners, name="new_joiners"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("profile/", views.profile_edit, name="profile"),
]
