"""Workplace feedback, suggestions with public answers, the feedback report and the eNPS pulse.

Nothing here logs who sends feedback (no logger is used; Rapport has no request-logging middleware, and
Django's own loggers name no user). The page after anonymous feedback is the same for everyone and shows
no key of the row.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from core.exceptions import ApplicationError
from core.forms import form_add_service_errors
from intranet import feedback_services as services
from intranet.feedback_forms import AnswerForm, FeedbackForm, PulseForm
from intranet.feedback_selectors import (
    PULSE_QUESTION,
    feedback_all,
    feedback_may_answer,
    feedback_may_report,
    feedback_of,
    feedback_report,
    min_group,
    org_today,
    pulse_answered,
    pulse_comments,
    pulse_led_slugs,
    pulse_trend,
    quarter_bounds,
    quarter_of,
    suggestions_list,
)
from intranet.models import Feedback

PAGE_SIZE = 25
TREND_QUARTERS = 4


@role_required(Role.EMPLOYEE)
def feedback_new(request):
    """Employees: give feedback on the working environment or a suggestion, named or anonymous."""
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_give(author=request.user, **data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if data["anonymous"]:
                return redirect("intranet:feedback_thanks")
            messages.success(request, "Thank you: your feedback is in, with your name.")
            return redirect("intranet:feedback_mine")
    return render(request, "intranet/feedback/new.html", {"form": form})


@role_required(Role.EMPLOYEE)
@require_GET
def feedback_thanks(request):
    """Employees: the page after anonymous feedback, the same for everyone."""
    return render(request, "intranet/feedback/thanks.html")


@role_required(Role.EMPLOYEE)
@require_GET
def feedback_mine(request):
    """Employees: what they gave with their name, and the answers to their suggestions."""
    return render(request, "intranet/feedback/mine.html", {"items": feedback_of(user=request.user)})


@role_required(Role.EMPLOYEE)
@require_GET
def suggestions(request):
    """Employees: every suggestion, with the public answers of the Customer Advisory Council and staff."""
    answered = request.GET.get("answered", "")
    answered = answered if answered in ("yes", "no") else ""
    page = Paginator(suggestions_list(answered=answered), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "answered": answered,
        "may_answer": feedback_may_answer(user=request.user),
        "answer_form": AnswerForm(),
        "query": f"answered={answered}&",
    }
    return render(request, "intranet/feedback/suggestions.html", context)


@role_required(Role.EMPLOYEE)
@require_POST
def suggestion_answer(request, pk):
    """The Customer Advisory Council (moderate_intranet) and staff: answer a suggestion publicly."""
    if not feedback_may_answer(user=request.user):
        raise PermissionDenied
    suggestion = get_object_or_404(Feedback, pk=pk, kind=Feedback.Kind.SUGGESTION)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_answer(suggestion=suggestion, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your answer is published.")
    else:
        messages.error(request, "Write an answer (5,000 characters at most).")
    return redirect("intranet:suggestions")


@role_required(Role.EMPLOYEE)
@require_GET
def feedback_inbox(request):
    """The Customer Advisory Council (moderate_intranet) and staff: all feedback and suggestions, to read."""
    if not feedback_may_answer(user=request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    kind = kind if kind in Feedback.Kind.values else ""
    topic = request.GET.get("topic", "")
    topic = topic if topic in Feedback.Topic.values else ""
    page = Paginator(feedback_all(kind=kind, topic=topic), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "topic": topic,
        "kinds": Feedback.Kind.choices,
        "topics": Feedback.Topic.choices,
        "query": f"kind={kind}&topic={topic}&",
    }
    return render(request, "intranet/feedback/inbox.html", context)


def _year(request) -> int:
    this_year = org_today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


@role_required(Role.EMPLOYEE)
@require_GET
def feedback_report_view(request):
    """The Customer Advisory Council (moderate_intranet) and staff: feedback counted by kind, topic,
    department and quarter for a year, and the eNPS trend, with groups under the limit hidden."""
    if not feedback_may_report(user=request.user):
        raise PermissionDenied
    year = _year(request)
    today = org_today()
    trend = _trend(today)
    context = {
        "report": feedback_report(year=year, today=today),
        "years": range(today.year, today.year - 5, -1),
        "trend": trend,
        "comments": pulse_comments(quarter=trend[-1].quarter, today=today) if trend else [],
    }
    return render(request, "intranet/feedback/report.html", context)


def _trend(today):
    current_start = quarter_bounds(quarter_of(today))[0]
    start = current_start.replace(year=current_start.year - 1)
    return pulse_trend(start=start, end=today, today=today)[-TREND_QUARTERS:]


@role_required(Role.EMPLOYEE)
def pulse(request):
    """Employees: answer this quarter's eNPS pulse (once), and see the trend of the quarters that are over;
    department leads also see their departments' rows (small groups hidden, as in the report)."""
    today = org_today()
    quarter = quarter_of(today)
    answered = pulse_answered(user=request.user, quarter=quarter)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            recorded = services.pulse_answer(user=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if recorded:
                messages.success(
                    request, f"Thank you: your answer for {quarter} is in, with nothing that links it to you."
                )
            else:
                messages.info(request, f"You had answered the pulse for {quarter} already.")
            return redirect("intranet:pulse")
    elif request.method == "POST" and answered:
        messages.info(request, f"You had answered the pulse for {quarter} already.")
        return redirect("intranet:pulse")
    trend = _trend(today)
    led = pulse_led_slugs(user=request.user)
    context = {
        "form": form,
        "quarter": quarter,
        "answered": answered,
        "question": PULSE_QUESTION,
        "trend": trend,
        "led": [(q.quarter, group) for q in trend for group in q.departments if group.slug in led],
        "min_group": min_group(),
    }
    return render(request, "intranet/feedback/pulse.html", context, status=400 if form.errors else 200)
