from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.EXECUTIVE, Role.COUNCIL_MEMBER)
def reports(request):
    """Executives and council members: the quarterly reports index."""
    return render(request, "councils/reports.html")
