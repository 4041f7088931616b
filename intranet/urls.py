from django.urls import path

from intranet import idea_views, search_views, views

app_name = "intranet"
urlpatterns = [
    path("", views.home, name="home"),
    path("ideas/", idea_views.idea_list, name="ideas"),
    path("ideas/new/", idea_views.idea_new, name="idea_new"),
    path("ideas/<int:pk>/", idea_views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/vote/", idea_views.idea_vote, name="idea_vote"),
    path("ideas/<int:pk>/comment/", idea_views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/status/", idea_views.idea_status, name="idea_status"),
    path("ideas/<int:pk>/merge/", idea_views.idea_merge, name="idea_merge"),
    path("people/", views.people, name="people"),
    path("people/new/", views.new_joiners, name="new_joiners"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("profile/", views.profile_edit, name="profile"),
    path("search/", search_views.search, name="search"),
]
