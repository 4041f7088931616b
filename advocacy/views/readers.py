"""Read-only access to the program's pages (READ_PROGRAM, e.g. the Brand Advisory Council's members).

`readers_only` opens a page to managers (MANAGE_PROGRAM) and to readers alike; `may_manage` tells the
page whether to show its forms and buttons. Every write stays behind `permission_required(MANAGE_PROGRAM)`,
and a page that both shows and writes refuses a reader's POST with `refuse_readers_writing`. Readers
never see other people's contact data (DESIGN.md: an ambassador never sees another's contact data).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import has_permission
from advocacy.models import MANAGE_PROGRAM, READ_PROGRAM


def may_manage(user) -> bool:
    return has_permission(user, MANAGE_PROGRAM)


def may_read(user) -> bool:
    return may_manage(user) or has_permission(user, READ_PROGRAM)


def readers_only(view):
    """Program managers and read-only holders; anyone else 403, visitors to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.required_permission = READ_PROGRAM
    return login_required(wrapper)


def refuse_readers_writing(request) -> None:
    """A page readers may see but only managers may send: a reader's POST is 403 and changes nothing."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not may_manage(request.user):
        raise PermissionDenied
