from django.urls import path

from intranet import idea_views, post_views, views

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
    # Posts, groups and moderation (intranet.post_views)
    path("feed/", post_views.feed, name="feed"),
    path("posts/new/", post_views.post_new, name="post_new"),
    path("posts/<int:pk>/", post_views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", post_views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", post_views.post_delete, name="post_delete"),
    path("posts/<int:pk>/react/", post_views.post_react, name="post_react"),
    path("posts/<int:pk>/pin/", post_views.post_pin, name="post_pin"),
    path("posts/<int:pk>/comment/", post_views.post_comment, name="post_comment"),
    path("posts/images/<int:pk>/", post_views.post_image, name="post_image"),
    path("comments/<int:pk>/edit/", post_views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", post_views.comment_delete, name="comment_delete"),
    path("groups/", post_views.groups, name="groups"),
    path("groups/new/", post_views.group_new, name="group_new"),
    path("groups/<slug:slug>/", post_views.group_feed, name="group_feed"),
    path("groups/<slug:slug>/membership/", post_views.group_membership, name="group_membership"),
    path("report/<slug:kind>/<int:pk>/", post_views.content_report, name="content_report"),
    path("moderation/", post_views.report_queue_view, name="report_queue"),
    path("moderation/<slug:kind>/<int:pk>/hide/", post_views.content_hide, name="content_hide"),
    path("moderation/<slug:kind>/<int:pk>/unhide/", post_views.content_unhide, name="content_unhide"),
    path("moderation/<slug:kind>/<int:pk>/dismiss/", post_views.report_dismiss, name="report_dismiss"),
]
