from django.contrib import admin
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import DepartmentListApi, MeApi
from advocacy.api.urls import urlpatterns as advocacy_api
from core.views import healthz
from councils.api.urls import urlpatterns as councils_api
from dashboard.views import home
from insights.api.urls import urlpatterns as insights_api
from intranet.feedback_api import PulseApi
from intranet.idea_api import IdeaListApi, IdeaVoteApi
from intranet.post_api import PostListApi

admin.site.site_header = "Rapport administration"
admin.site.site_title = "Rapport admin"
# "/" sends admins back to the admin (their home), so "View site" opens the staff dashboard.
admin.site.site_url = reverse_lazy("dashboard:staff")

api_v1 = [
    path("me", MeApi.as_view(), name="me"),
    path("departments", DepartmentListApi.as_view(), name="departments"),
    *insights_api,
    *advocacy_api,
    *councils_api,
    path("ideas", IdeaListApi.as_view(), name="ideas"),
    path("ideas/<int:pk>/vote", IdeaVoteApi.as_view(), name="idea-vote"),
    path("pulse", PulseApi.as_view(), name="pulse"),
    path("posts", PostListApi.as_view(), name="posts"),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("dashboard.urls")),
    path("insights/", include("insights.urls")),
    path("", include("insights.views.departments")),
    path("intranet/", include("intranet.urls")),
    path("", include("advocacy.urls")),
    path("", include("councils.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as a file: the Content-Security-Policy refuses inline ones.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
]
