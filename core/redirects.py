"""Return URLs (`next`): followed only when they stay on this site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, default: str, *args):
    """Redirect to the request's `next` (POST, else GET) if it is a URL of this site, else to `default`
    (a URL name with `args`, or a path). Never to another host or scheme: no open redirect."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(default, *args)
