"""The project's URLs plus views that fail on purpose, for the error-shape tests."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def failing_api(request):
    raise RuntimeError("a bug in an API view")


def failing_page(request):
    raise RuntimeError("a bug in a plain view")


@require_POST
def post_only_page(request):
    return HttpResponse("posted")


urlpatterns = [
    path("api/v1/failing", failing_api),
    path("api/v1/failing-plain", failing_page),
    path("api/v1/post-only-plain", post_only_page),
    *project_urlpatterns,
]
