from accounts.roles import Role, user_roles


def roles(request):
    """`role_access.<role>` for navigation: true when the user may use that role's pages."""
    held = user_roles(getattr(request, "user", None))
    is_admin = Role.ADMIN in held
    return {"role_access": {role: is_admin or role in held for role in Role.values}}
