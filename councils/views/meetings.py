"""The councils' meeting pages: lists, the meeting page, schedule/edit, answers, minutes, action items, .ics.

Guards: lists and the meeting page need a signed-in user who may see the meeting (managers, the council's
members, invited people such as executives); others get 404 for a meeting (no hint that it exists) and 403
for a council's list. Scheduling needs councils.manage_councils; minutes and action items a manager or the
council's chair. The emailed answer link works without signing in: its signed token is the guard.
"""

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.models import User
from accounts.roles import Role, has_role
from core.forms import form_add_service_errors
from councils.access import MANAGE, can_manage
from councils.models import ActionItem, Attendee, Council, Meeting
from councils.selectors.meetings import (
    action_items_of,
    action_items_owned_by,
    attendee_of,
    carried_over_items,
    council_meetings,
    council_meetings_may_view,
    meeting_ics,
    meeting_may_record,
    meetings_visible_to,
)
from councils.services.meetings import (
    action_item_add,
    action_item_set_status,
    attendee_from_token,
    attendee_respond,
    meeting_cancel,
    meeting_mark_held,
    meeting_record_minutes,
    meeting_schedule,
    meeting_update,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _executives():
    return User.objects.filter(is_active=True, groups__name=Role.EXECUTIVE).order_by("name", "email").distinct()


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Quarterly meeting with executives")
    starts_at = forms.DateTimeField(
        label="Starts",
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        help_text=f"In the organisation's time zone ({settings.TIME_ZONE}).",
    )
    duration = forms.IntegerField(
        label="Duration (minutes)", min_value=15, max_value=12 * 60, initial=90, required=False
    )
    place = forms.CharField(max_length=200, required=False, help_text="A room or an address; or a video link below.")
    video_url = forms.URLField(label="Video link", required=False, assume_scheme="https")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=50_000, required=False)
    executives = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executives"].queryset = _executives()
        self.fields["executives"].label_from_instance = lambda u: u.get_full_name() or u.email

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        # The browser sends a wall-clock time: read it in the organisation's zone, not the request's.
        return timezone.make_naive(value, timezone.get_current_timezone()) if timezone.is_aware(value) else value

    def service_fields(self) -> dict:
        data = self.cleaned_data
        minutes = data.get("duration") or 90
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "duration": timedelta(minutes=minutes),
            "place": data.get("place", ""),
            "video_url": data.get("video_url", ""),
            "agenda": data.get("agenda", ""),
            "executives": list(data.get("executives") or []),
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000, required=False)
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=50_000, required=False)


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="— choose the owner —")
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        people = set(meeting.attendees.values_list("user_id", flat=True))
        self.fields["owner"].queryset = User.objects.filter(pk__in=people, is_active=True).order_by("name", "email")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.email


def _council(kind: str) -> Council:
    return get_object_or_404(Council, kind=kind)


def _visible_meeting(request, pk: int) -> Meeting:
    """The meeting, if `request.user` may see it; 404 otherwise (no hint that it exists)."""
    return get_object_or_404(meetings_visible_to(user=request.user), pk=pk)


@login_required
def council_meeting_list(request, council: str):
    """Managers, the council's members, and executives (who see the meetings they attend)."""
    found = Council.objects.filter(kind=council).first()
    if found is None:  # 403 to people who could not see it anyway, whether it exists or not
        if can_manage(request.user) or has_role(request.user, Role.EXECUTIVE):
            raise Http404("No such council.")
        raise PermissionDenied
    if not council_meetings_may_view(user=request.user, council=found):
        raise PermissionDenied
    meetings = council_meetings(user=request.user, council=found)
    now = timezone.now()
    return render(
        request,
        "councils/meetings/list.html",
        {
            "council": found,
            "upcoming": [m for m in meetings if m.ends_at >= now][::-1],
            "past": [m for m in meetings if m.ends_at < now],
            "may_schedule": can_manage(request.user),
            "zone": settings.TIME_ZONE,
        },
    )


@login_required
def my_meetings(request):
    """Any signed-in person: the meetings they may see (executives: the ones they attend)."""
    meetings = meetings_visible_to(user=request.user).order_by("-starts_at")[:200]
    councils = [c for c in Council.objects.all() if council_meetings_may_view(user=request.user, council=c)]
    return render(
        request, "councils/meetings/mine.html", {"meetings": meetings, "councils": councils, "zone": settings.TIME_ZONE}
    )


@permission_required(MANAGE)
def meeting_new(request, council: str):
    found = _council(council)
    form = MeetingForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("token")
        try:
            meeting, _ = meeting_schedule(
                council=found,
                **form.service_fields(),
                by=request.user,
                idempotency_key=f"form:{request.user.pk}:{token}" if token else None,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc, field_for=lambda name: "duration" if name == "ends_at" else name)
        else:
            messages.success(request, f"“{meeting.title}” is scheduled; the attendees are invited.")
            return redirect("councils:meeting", pk=meeting.pk)
    return render(request, "councils/meetings/form.html", {"form": form, "council": found, "meeting": None})


@permission_required(MANAGE)
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    local = timezone.localtime(meeting.starts_at, _zone()).replace(tzinfo=None)
    initial = {
        "title": meeting.title,
        "starts_at": local,
        "duration": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        "place": meeting.place,
        "video_url": meeting.video_url,
        "agenda": meeting.agenda,
        "executives": [a.user_id for a in meeting.attendees.filter(role=Attendee.Role.EXECUTIVE)],
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_update(meeting=meeting, by=request.user, **form.service_fields())
        except ValidationError as exc:
            form_add_service_errors(form, exc, field_for=lambda name: "duration" if name == "ends_at" else name)
        else:
            messages.success(request, "The meeting is saved.")
            return redirect("councils:meeting", pk=meeting.pk)
    return render(
        request, "councils/meetings/form.html", {"form": form, "council": meeting.council, "meeting": meeting}
    )


@permission_required(MANAGE)
@require_POST
def meeting_cancel_view(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The meeting is cancelled; the attendees are told.")
    return redirect("councils:meeting", pk=pk)


@login_required
def meeting_detail(request, pk: int):
    """Whoever may see the meeting (else 404)."""
    meeting = _visible_meeting(request, pk)
    attendees = list(meeting.attendees.select_related("user").order_by("role", "user__name", "user__email"))
    items = list(action_items_of(meeting=meeting))
    may_record = meeting_may_record(user=request.user, meeting=meeting)  # managers and the chair

    def may_move(item: ActionItem) -> bool:  # as action_item_may_set_status, without a query per item
        return may_record or item.owner_id == request.user.pk

    context = {
        "meeting": meeting,
        "local_start": timezone.localtime(meeting.starts_at, _zone()),
        "local_end": timezone.localtime(meeting.ends_at, _zone()),
        "zone": settings.TIME_ZONE,
        "attendees": attendees,
        "me": attendee_of(user=request.user, meeting=meeting),
        "items": [(item, may_move(item)) for item in items],
        "carried": [(item, may_move(item)) for item in carried_over_items(meeting=meeting)],
        "may_manage": can_manage(request.user),
        "may_record": may_record,
        "open_for_answers": meeting.status == Meeting.Status.SCHEDULED and meeting.ends_at > timezone.now(),
        "statuses": ActionItem.Status.choices,
    }
    return render(request, "councils/meetings/detail.html", context)


@login_required
def meeting_ics_download(request, pk: int):
    meeting = _visible_meeting(request, pk)
    response = HttpResponse(meeting_ics(meeting=meeting, request=request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def meeting_respond(request, pk: int):
    """The signed-in attendee accepts or declines (others: 404)."""
    meeting = _visible_meeting(request, pk)
    attendee = attendee_of(user=request.user, meeting=meeting)
    if attendee is None:
        raise Http404("You are not invited to this meeting.")
    try:
        attendee = attendee_respond(attendee=attendee, response=request.POST.get("response", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Your answer is recorded: {attendee.get_response_display().lower()}.")
    return redirect("councils:meeting", pk=pk)


def meeting_answer(request, token: str):
    """The emailed answer link (no sign-in needed; the signed token is the guard). GET asks, POST answers."""
    attendee = attendee_from_token(token=token)
    if attendee is None:
        raise Http404("This link is not valid.")
    error = None
    if request.method == "POST":
        try:
            attendee = attendee_respond(attendee=attendee, response=request.POST.get("response", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return render(request, "councils/meetings/answer.html", {"attendee": attendee, "done": True})
    return render(
        request,
        "councils/meetings/answer.html",
        {
            "attendee": attendee,
            "error": error,
            "local_start": timezone.localtime(attendee.meeting.starts_at, _zone()),
            "zone": settings.TIME_ZONE,
        },
    )


def _recordable(request, pk: int) -> Meeting:
    meeting = _visible_meeting(request, pk)
    if not meeting_may_record(user=request.user, meeting=meeting):
        raise PermissionDenied
    return meeting


@login_required
def meeting_minutes(request, pk: int):
    """Managers and the council's chair."""
    meeting = _recordable(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes, "decisions": meeting.decisions})
    if request.method == "POST" and form.is_valid():
        try:
            meeting_record_minutes(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Minutes and decisions saved.")
            return redirect("councils:meeting", pk=pk)
    return render(request, "councils/meetings/minutes.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_held(request, pk: int):
    """Managers and the council's chair."""
    meeting = _recordable(request, pk)
    try:
        meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The meeting is marked as held.")
    return redirect("councils:meeting", pk=pk)


@login_required
def action_item_new(request, pk: int):
    """Managers and the council's chair."""
    meeting = _recordable(request, pk)
    form = ActionItemForm(request.POST or None, meeting=meeting, initial={"token": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data.get("token")
        try:
            action_item_add(
                meeting=meeting,
                title=data["title"],
                owner=data.get("owner"),
                due_on=data["due_on"],
                details=data.get("details", ""),
                by=request.user,
                idempotency_key=f"form:{request.user.pk}:{token}" if token else None,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Action item recorded.")
            return redirect("councils:meeting", pk=pk)
    return render(request, "councils/meetings/action_item_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def action_item_status(request, pk: int):
    """The owner, managers and the council's chair (others: 404, or 403 when they see it but may not move it)."""
    item = ActionItem.objects.filter(pk=pk).select_related("meeting", "council").first()
    if item is None or not (
        item.owner_id == request.user.pk or meetings_visible_to(user=request.user).filter(pk=item.meeting_id).exists()
    ):
        raise Http404("No such action item.")
    try:
        action_item_set_status(item=item, status=request.POST.get("status", ""), by=request.user)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Action item updated.")
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("councils:my_action_items")
    return redirect("councils:meeting", pk=item.meeting_id)


@login_required
def my_action_items(request):
    """Any signed-in person: the action items they own."""
    return render(
        request,
        "councils/meetings/my_action_items.html",
        {"items": action_items_owned_by(user=request.user), "statuses": ActionItem.Status.choices},
    )


urlpatterns = [
    path("councils/<str:council>/meetings/", council_meeting_list, name="council_meetings"),
    path("councils/<str:council>/meetings/new/", meeting_new, name="meeting_new"),
    path("councils/meetings/mine/", my_meetings, name="my_meetings"),
    path("councils/meetings/answer/<str:token>/", meeting_answer, name="meeting_answer"),
    path("councils/meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("councils/meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("councils/meetings/<int:pk>/cancel/", meeting_cancel_view, name="meeting_cancel"),
    path("councils/meetings/<int:pk>/answer/", meeting_respond, name="meeting_respond"),
    path("councils/meetings/<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
    path("councils/meetings/<int:pk>/held/", meeting_held, name="meeting_held"),
    path("councils/meetings/<int:pk>/action-items/new/", action_item_new, name="action_item_new"),
    path("councils/meetings/<int:pk>/meeting.ics", meeting_ics_download, name="meeting_ics"),
    path("councils/action-items/mine/", my_action_items, name="my_action_items"),
    path("councils/action-items/<int:pk>/status/", action_item_status, name="action_item_status"),
]
