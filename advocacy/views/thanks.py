"""The "thank them" queue for program managers (permission MANAGE_PROGRAM): positive mentions by ambassadors
and advocate candidates that nobody answered yet, oldest first; thanking one is its first response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from advocacy.forms import ThankForm
from advocacy.models import MANAGE_PROGRAM
from advocacy.selectors.thanks import thank_queue, thank_speakers, thanks_recent
from core.forms import form_add_service_errors
from core.redirects import redirect_back
from insights.services.triage import mention_respond

PAGE_SIZE = 25


@permission_required(MANAGE_PROGRAM)
def thank_them(request, status=200):
    """Program managers: the queue, with a form per mention and the latest thank-yous."""
    speakers = thank_speakers()
    page = Paginator(thank_queue(speakers), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(mention, speakers.get((mention.channel_id, mention.author_handle))) for mention in page]
    context = {"page": page, "rows": rows, "form": ThankForm(), "recent": thanks_recent()}
    return render(request, "advocacy/program/thank_them.html", context, status=status)


@permission_required(MANAGE_PROGRAM)
@require_POST
def thank(request, pk: int):
    """Program managers: record that one mention of the queue was thanked (POST only)."""
    mention = thank_queue(thank_speakers()).filter(pk=pk).first()
    if mention is None:
        raise Http404("That mention is not waiting for a thank-you.")
    form = ThankForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            mention_respond(mention=mention, by=request.user, kind=data["how"], url=data["url"], thanked=True)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            label = dict(form.fields["how"].choices)[data["how"]].lower()
            messages.success(request, f"Thanked {mention.author_name or mention.author_handle} by {label}.")
            return redirect_back(request, "advocacy:thank_them")
    messages.error(request, "Not thanked: " + " ".join(e for errors in form.errors.values() for e in errors))
    return thank_them(request, status=400)


urlpatterns = [
    path("program/thank/", thank_them, name="thank_them"),
    path("program/thank/<int:pk>/", thank, name="thank"),
]
