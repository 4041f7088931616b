from django.shortcuts import render
from django.urls import path

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.AMBASSADOR)
def portal(request):
    """Ambassadors: the ambassador portal home."""
    return render(request, "advocacy/portal.html")


urlpatterns = [path("ambassador/", portal, name="portal")]
