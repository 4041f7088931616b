"""Pages of the listening half, one module per area; each module lists its own `urlpatterns`."""

from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role

PAGE_SIZE = 50

staff_only = role_required(Role.INSIGHTS_STAFF)


def confirmation(request, *, question: str, consequence: str, button: str, cancel_url: str):
    """None when the POST carries `confirm=1` (go ahead); otherwise a page that asks first and re-sends the form.

    The insights twin of advocacy's (insights may not import advocacy): no JavaScript needed.
    """
    if request.POST.get("confirm") == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirm")
        for value in values
    ]
    context = {
        "question": question,
        "consequence": consequence,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "action": request.path,
    }
    return render(request, "insights/confirm.html", context)
