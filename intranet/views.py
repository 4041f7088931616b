from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.EMPLOYEE)
def home(request):
    """Employees: the intranet home."""
    return render(request, "intranet/home.html")
