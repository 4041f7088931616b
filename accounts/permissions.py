"""Who may call an API view. Every view states it; nothing is open by default.

A view sets:
- `allowed_roles`: the roles whose signed-in users may call it, or `ANY_SIGNED_IN`;
  or instead `required_permission`: a Django permission ("app.codename") that signed-in
  users need, held through their groups (admins hold every one);
- `required_scopes`: HTTP method -> the scope an API key needs (`NO_SCOPE` for
  any valid key); a method that is not listed is closed to API keys.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission

from accounts.models import ApiKey
from accounts.roles import has_permission, has_role

ANY_SIGNED_IN = "__any_signed_in__"
NO_SCOPE = ""


class ScopedAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        declares_who = hasattr(view, "allowed_roles") or hasattr(view, "required_permission")
        if not declares_who or not hasattr(view, "required_scopes"):
            raise ImproperlyConfigured(
                f"{view.__class__.__name__} must declare allowed_roles (or required_permission) and required_scopes."
            )
        if not hasattr(view, request.method.lower()):
            return True  # let the view answer 405 Method Not Allowed
        if isinstance(request.auth, ApiKey):
            method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
            if method not in view.required_scopes:
                self.message = "API keys cannot use this operation."
                return False
            scope = view.required_scopes[method]
            if scope != NO_SCOPE and not request.auth.has_scope(scope):
                self.message = f"This API key lacks the scope {scope}."
                return False
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        self.message = "Your role does not give access to this operation."
        if hasattr(view, "required_permission"):
            return has_permission(user, view.required_permission)
        if view.allowed_roles == ANY_SIGNED_IN:
            return True
        return has_role(user, *view.allowed_roles)
