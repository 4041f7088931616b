"""One step between a click and what it cannot take back: a page that asks, and re-sends the form.

No JavaScript: the action's form posts as before; without `confirm=1` the view answers this page
instead of acting, with the same fields in a form that adds `confirm=1`, and a way back.
"""

from django.shortcuts import render


def confirmation(request, *, question: str, consequence: str, button: str, cancel_url: str, final: bool = True):
    """None when the POST carries `confirm=1` (go ahead); otherwise the page that asks first.

    `final=False` for a large action that can be undone (it says so less gravely)."""
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
        "final": final,
    }
    return render(request, "confirm.html", context)
