from dashboard.navigation import nav_links


def navigation(request):
    """`nav_links` for the main navigation, worked out only when a template shows it."""
    return {"nav_links": lambda: nav_links(user=request.user, path=request.path)}
