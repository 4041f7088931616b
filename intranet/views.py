from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from intranet.idea_selectors import ideas_list

HOME_TOP_IDEAS = 3


@role_required(Role.EMPLOYEE)
def home(request):
    """Employees: the intranet home."""
    return render(request, "intranet/home.html", {"top_ideas": ideas_list(sort="top")[:HOME_TOP_IDEAS]})
