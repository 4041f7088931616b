"""The invitation portal: /join/<token> (visitors and signed-in invitees)."""

from django.http import Http404
from django.urls import path


def join(request, token):
    raise Http404  # the portal comes next


urlpatterns = [path("join/<str:token>/", join, name="join")]
