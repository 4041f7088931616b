from django.conf import settings

from accounts.roles import Role, user_roles
from accounts.selectors import notifications_unread_count


def roles(request):
    """`role_access.<role>` for navigation: true when the user may use that role's pages."""
    held = user_roles(getattr(request, "user", None))
    is_admin = Role.ADMIN in held
    return {"role_access": {role: is_admin or role in held for role in Role.values}}


def notifications(request):
    """`unread_notifications`: the signed-in user's unread count, worked out only when a template shows it;
    `notifications_poll_seconds`: how often the navigation asks for it again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "notifications"):
        return {"unread_notifications": 0}
    return {
        "unread_notifications": lambda: notifications_unread_count(user=user),
        "notifications_poll_seconds": settings.NOTIFICATIONS_POLL_SECONDS,
    }
