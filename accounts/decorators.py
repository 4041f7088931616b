"""Guards for HTML views: each view states the roles that may open it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import has_permission, has_role


def role_required(*roles: str):
    """Signed-out visitors go to the login page; signed-in users without a role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles
        return login_required(wrapper)

    return decorator


def permission_required(permission: str):
    """Like `role_required`, for a capability ("app.codename") that groups grant: several roles may hold it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return login_required(wrapper)

    return decorator
