from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.COUNCIL_MEMBER)
def index(request):
    """Council members: their councils."""
    return render(request, "councils/index.html")
