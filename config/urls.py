from django.contrib import admin
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from accounts.api import MeApi
from advocacy.api.urls import urlpatterns as advocacy_api
from core.views import healthz
from dashboard.views import home
from insights.api import MentionListApi, MentionsBulkApi, RollupsApi
from insights.api_admin import ChannelViewSet, FeedViewSet, TermViewSet

admin.site.site_header = "Rapport administration"
admin.site.site_title = "Rapport admin"
# "/" sends admins back to the admin (their home), so "View site" opens the staff dashboard.
admin.site.site_url = reverse_lazy("dashboard:staff")

router = SimpleRouter(trailing_slash=False)
router.register("terms", TermViewSet, basename="terms")
router.register("channels", ChannelViewSet, basename="channels")
router.register("feeds", FeedViewSet, basename="feeds")

api_v1 = [
    path("me", MeApi.as_view(), name="me"),
    path("mentions", MentionListApi.as_view(), name="mentions"),
    path("mentions/bulk", MentionsBulkApi.as_view(), name="mentions-bulk"),
    path("rollups", RollupsApi.as_view(), name="rollups"),
    *advocacy_api,
    *router.urls,
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("dashboard.urls")),
    path("insights/", include("insights.urls")),
    path("intranet/", include("intranet.urls")),
    path("", include("advocacy.urls")),
    path("", include("councils.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
