"""Writes of the councils' quarterly meetings with executives: schedule, edit, cancel, answers, minutes,
action items, and the week and day reminders (sent once, whatever the number of workers).

Times: a meeting's start and end are entered in the organisation's zone (settings.TIME_ZONE) and stored in
UTC. A local time that does not exist (the hour skipped when clocks go forward) is refused.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.roles import Role, has_role
from accounts.services import notify
from core.links import absolute_url
from core.queue import task_queue_on_commit
from core.validators import validate_sane_date
from councils.access import can_manage
from councils.models import ActionItem, Attendee, Council, Meeting, Term
from councils.selectors.meetings import meeting_ics, user_is_chair

MAX_DURATION = timedelta(hours=12)
ANSWER_SALT = "councils.meeting-answer"
ANSWER_MAX_AGE = 60 * 60 * 24 * 120  # an emailed answer link works for 120 days
WEEK = timedelta(days=7)
DAY = timedelta(days=1)


def org_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_to_utc(value: datetime, *, field: str = "starts_at") -> datetime:
    """A wall-clock time in the organisation's zone (naive) as an aware datetime. An aware value is kept.
    Refuses a local time that does not exist (skipped by a DST change)."""
    if timezone.is_aware(value):
        return value
    zone = org_zone()
    aware = value.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        raise ValidationError(
            {field: f"{value:%d %b %Y %H:%M} does not exist in {settings.TIME_ZONE}: the clocks skip that hour."}
        )
    return aware


def _check_manager(by: User | None) -> None:
    """Managers (holders of councils.manage_councils) schedule; `by=None` is an integration's API key."""
    if by is not None and not can_manage(by):
        raise PermissionDenied("Only council managers may do this.")


def _check_manager_or_chair(by: User | None, council: Council) -> None:
    if by is not None and not (can_manage(by) or user_is_chair(user=by, council=council)):
        raise PermissionDenied("Only council managers and the council's chair may do this.")


def _times(*, starts_at: datetime, ends_at: datetime | None, duration: timedelta | None) -> tuple[datetime, datetime]:
    if starts_at is None:
        raise ValidationError({"starts_at": "Give the meeting's date and time."})
    starts_at = local_to_utc(starts_at)
    validate_sane_date(starts_at)
    if ends_at is None:
        if duration is None:
            raise ValidationError({"ends_at": "Give the meeting's end or its duration."})
        ends_at = starts_at + duration
    else:
        ends_at = local_to_utc(ends_at, field="ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The meeting must end after it starts."})
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationError({"ends_at": "A meeting lasts 12 hours at most."})
    return starts_at, ends_at


def _executives(executives) -> list[User]:
    people = list(executives or [])
    wrong = [person for person in people if not (person.is_active and has_role(person, Role.EXECUTIVE))]
    if wrong:
        names = ", ".join(person.get_full_name() or person.email for person in wrong)
        raise ValidationError({"executives": f"Only executives can be invited as executives: {names}."})
    return people


def _meeting_url(meeting: Meeting) -> str:
    return reverse("councils:meeting", kwargs={"pk": meeting.pk})


def _attendee_users(meeting: Meeting, *, declined: bool = True) -> list[User]:
    attendees = meeting.attendees.select_related("user")
    if not declined:
        attendees = attendees.exclude(response=Attendee.Response.DECLINED)
    return [attendee.user for attendee in attendees]


def meeting_schedule(
    *,
    council: Council,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    duration: timedelta | None = None,
    place: str = "",
    video_url: str = "",
    agenda: str = "",
    executives=(),
    by: User | None,
    idempotency_key: str | None = None,
    notify_attendees: bool = True,
) -> tuple[Meeting, bool]:
    """Schedule a meeting of `council`; its current members and the chosen executives are invited (and
    notified by email, unless `notify_attendees` is false: the demo). Returns (meeting, created): a retry
    with the same `idempotency_key` finds the first."""
    _check_manager(by)
    if idempotency_key:
        existing = Meeting.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    starts_at, ends_at = _times(starts_at=starts_at, ends_at=ends_at, duration=duration)
    people = _executives(executives)
    meeting = Meeting(
        council=council,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        video_url=(video_url or "").strip(),
        agenda=(agenda or "").strip(),
        created_by=by,
        idempotency_key=idempotency_key or None,
    )
    if not meeting.place and not meeting.video_url:
        raise ValidationError({"place": "Give a place or a video link."})
    meeting.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            meeting.save()
            members = Term.objects.filter(council=council, vacated_at__isnull=True).values_list("user_id", flat=True)
            rows = {pk: Attendee.Role.MEMBER for pk in members}
            for person in people:
                rows.setdefault(person.pk, Attendee.Role.EXECUTIVE)
            Attendee.objects.bulk_create(
                [Attendee(meeting=meeting, user_id=pk, role=role) for pk, role in sorted(rows.items())]
            )
            if notify_attendees:
                notify(
                    users=_attendee_users(meeting),
                    text=f"You are invited to “{meeting.title}” ({council.name}): please accept or decline.",
                    url=_meeting_url(meeting),
                )
                task_queue_on_commit("councils.tasks.meeting_invitations_task", meeting.pk)
    except IntegrityError:
        if not idempotency_key:
            raise
        return Meeting.objects.get(idempotency_key=idempotency_key), False
    return meeting, True


def meeting_update(
    *,
    meeting: Meeting,
    by: User | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    duration: timedelta | None = None,
    place: str = "",
    video_url: str = "",
    agenda: str = "",
    executives=None,
) -> Meeting:
    """Edit a scheduled meeting. A new time bumps the calendar SEQUENCE, re-arms the reminders and tells
    the attendees; `executives` (when given) becomes the set of executives invited."""
    _check_manager(by)
    starts_at, ends_at = _times(starts_at=starts_at, ends_at=ends_at, duration=duration)
    people = None if executives is None else _executives(executives)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.SCHEDULED:
            raise ValidationError(f"This meeting is {locked.get_status_display().lower()}: it can no longer be edited.")
        moved = (locked.starts_at, locked.ends_at) != (starts_at, ends_at)
        locked.title = (title or "").strip()
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.place, locked.video_url = (place or "").strip(), (video_url or "").strip()
        locked.agenda = (agenda or "").strip()
        if not locked.place and not locked.video_url:
            raise ValidationError({"place": "Give a place or a video link."})
        if moved:
            locked.sequence += 1
            locked.week_reminder_sent_at = locked.day_reminder_sent_at = None
        locked.full_clean(exclude=["idempotency_key"])
        locked.save()
        if people is not None:
            wanted = {person.pk for person in people}
            locked.attendees.filter(role=Attendee.Role.EXECUTIVE).exclude(user_id__in=wanted).delete()
            present = set(locked.attendees.values_list("user_id", flat=True))
            Attendee.objects.bulk_create(
                [Attendee(meeting=locked, user_id=pk, role=Attendee.Role.EXECUTIVE) for pk in sorted(wanted - present)]
            )
            if wanted - present:
                task_queue_on_commit("councils.tasks.meeting_invitations_task", locked.pk)
        if moved:
            local = timezone.localtime(starts_at, org_zone())
            notify(
                users=_attendee_users(locked, declined=False),
                text=f"“{locked.title}” has moved to {date_format(local, 'DATETIME_FORMAT')} ({settings.TIME_ZONE}).",
                url=_meeting_url(locked),
                email=True,
            )
    return locked


def meeting_cancel(*, meeting: Meeting, by: User | None) -> Meeting:
    """Cancel a scheduled meeting and tell its attendees. Cancelling a cancelled meeting changes nothing."""
    _check_manager(by)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.CANCELLED:
            return locked
        if locked.status == Meeting.Status.HELD:
            raise ValidationError("This meeting was held: it can no longer be cancelled.")
        locked.status = Meeting.Status.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence", "updated_at"])
        notify(
            users=_attendee_users(locked, declined=False),
            text=f"“{locked.title}” ({locked.council.name}) is cancelled.",
            url=_meeting_url(locked),
            email=True,
        )
    return locked


def meeting_mark_held(*, meeting: Meeting, by: User | None) -> Meeting:
    """Record that a meeting took place (once it has started). Managers and the council's chair."""
    _check_manager_or_chair(by, meeting.council)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.HELD:
            return locked
        if locked.status == Meeting.Status.CANCELLED:
            raise ValidationError("This meeting was cancelled: it cannot be marked as held.")
        if locked.starts_at > timezone.now():
            raise ValidationError("This meeting has not started yet: mark it as held once it has taken place.")
        locked.status = Meeting.Status.HELD
        locked.save(update_fields=["status", "updated_at"])
    return locked


def meeting_record_minutes(*, meeting: Meeting, by: User | None, minutes: str, decisions: str) -> Meeting:
    """Write (or correct) a meeting's minutes and decisions. Managers and the council's chair."""
    _check_manager_or_chair(by, meeting.council)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.CANCELLED:
            raise ValidationError("This meeting was cancelled: it has no minutes.")
        locked.minutes = (minutes or "").strip()
        locked.decisions = (decisions or "").strip()
        locked.full_clean(exclude=["idempotency_key"])
        locked.save(update_fields=["minutes", "decisions", "updated_at"])
    return locked


# --- Answers -------------------------------------------------------------------------------------------------


def attendee_answer_token(*, attendee: Attendee) -> str:
    """The secret of an emailed accept/decline link for this attendee."""
    return signing.dumps({"a": attendee.pk, "m": str(attendee.meeting.uid)}, salt=ANSWER_SALT, compress=True)


def attendee_from_token(*, token: str) -> Attendee | None:
    """The attendee an emailed link is for, or None when the link is forged, expired or its meeting gone."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Attendee.objects.select_related("meeting__council", "user")
        .filter(pk=data.get("a"), meeting__uid=data.get("m"))
        .first()
    )


def attendee_respond(*, attendee: Attendee, response: str) -> Attendee:
    """Accept or decline. Answering again replaces the answer; answering the same twice changes nothing."""
    if response not in (Attendee.Response.ACCEPTED, Attendee.Response.DECLINED):
        raise ValidationError({"response": "Answer “accepted” or “declined”."})
    with transaction.atomic():
        locked = Attendee.objects.select_for_update().select_related("meeting").get(pk=attendee.pk)
        if locked.meeting.status != Meeting.Status.SCHEDULED or locked.meeting.ends_at <= timezone.now():
            raise ValidationError("This meeting is no longer open for answers.")
        if locked.response != response:
            locked.response = response
            locked.responded_at = timezone.now()
            locked.save(update_fields=["response", "responded_at"])
    return locked


# --- Action items --------------------------------------------------------------------------------------------


def action_item_add(
    *,
    meeting: Meeting,
    title: str,
    owner: User | None,
    due_on: date | None,
    details: str = "",
    by: User | None,
    idempotency_key: str | None = None,
) -> tuple[ActionItem, bool]:
    """Record an action item decided at `meeting`. An owner and a due date are required. Returns (item,
    created): a retry with the same `idempotency_key` finds the first."""
    _check_manager_or_chair(by, meeting.council)
    if idempotency_key:
        existing = ActionItem.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if owner is None:
        raise ValidationError({"owner": "An action item needs an owner: choose who will do it."})
    if not owner.is_active:
        raise ValidationError({"owner": "This person's account is closed: choose an active owner."})
    if due_on is None:
        raise ValidationError({"due_on": "Give a due date."})
    validate_sane_date(due_on)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled: it has no action items.")
    item = ActionItem(
        council=meeting.council,
        meeting=meeting,
        title=(title or "").strip(),
        details=(details or "").strip(),
        owner=owner,
        due_on=due_on,
        created_by=by,
        idempotency_key=idempotency_key or None,
    )
    item.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            item.save()
            notify(
                users=[owner],
                text=f"Action item for you from “{meeting.title}”: {item.title} (due {date_format(due_on)}).",
                url=reverse("councils:my_action_items"),
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return ActionItem.objects.get(idempotency_key=idempotency_key), False
    return item, True


def action_item_may_set_status(*, user: User | None, item: ActionItem) -> bool:
    """Managers, the council's chair and the item's owner move an action item."""
    if user is None:
        return True
    return item.owner_id == user.pk or can_manage(user) or user_is_chair(user=user, council=item.council)


def action_item_set_status(*, item: ActionItem, status: str, by: User | None) -> ActionItem:
    """Open, done or dropped; closing stamps closed_at, reopening clears it. The same status twice is a no-op."""
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": f"One of {', '.join(ActionItem.Status.values)}."})
    if not action_item_may_set_status(user=by, item=item):
        raise PermissionDenied("Only the owner, the council's chair and managers may change this action item.")
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == status:
            return locked
        locked.status = status
        locked.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
        locked.full_clean(exclude=["idempotency_key"])
        locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked


# --- Reminders -----------------------------------------------------------------------------------------------


def _reminder_send(meeting: Meeting, *, which: str) -> int:
    ics = meeting_ics(meeting=meeting)
    local = timezone.localtime(meeting.starts_at, org_zone())
    link = absolute_url(_meeting_url(meeting))
    sent = 0
    for attendee in meeting.attendees.select_related("user").exclude(response=Attendee.Response.DECLINED):
        if not attendee.user.is_active:
            continue
        answer = absolute_url(
            reverse("councils:meeting_answer", kwargs={"token": attendee_answer_token(attendee=attendee)})
        )
        body = render_to_string(
            "councils/email/meeting_reminder.txt",
            {"meeting": meeting, "attendee": attendee, "local": local, "zone": settings.TIME_ZONE, "which": which,
             "link": link, "answer": answer},
        )  # fmt: skip
        when = "in a week" if which == "week" else "tomorrow"
        message = EmailMessage(f"[Rapport] Reminder: {meeting.title} {when}", body, None, [attendee.user.email])
        message.attach("meeting.ics", ics, "text/calendar; method=PUBLISH; charset=utf-8")
        message.send()
        sent += 1
    return sent


def meeting_invitations_send(*, meeting_id: int) -> int:
    """Email each attendee not invited yet their invitation: the answer link and the .ics attached. Each
    attendee is claimed (`UPDATE … WHERE invited_at IS NULL`) in the transaction that emails them, so a second
    run, or a second worker, sends nothing twice. Returns the emails sent."""
    meeting = Meeting.objects.select_related("council", "created_by").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != Meeting.Status.SCHEDULED:
        return 0
    ics = meeting_ics(meeting=meeting)
    local = timezone.localtime(meeting.starts_at, org_zone())
    sent = 0
    for pk in meeting.attendees.filter(invited_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            if not Attendee.objects.filter(pk=pk, invited_at__isnull=True).update(invited_at=timezone.now()):
                continue
            attendee = Attendee.objects.select_related("user").get(pk=pk)
            if not attendee.user.is_active:
                continue
            body = render_to_string(
                "councils/email/meeting_invitation.txt",
                {
                    "meeting": meeting,
                    "attendee": attendee,
                    "local": local,
                    "zone": settings.TIME_ZONE,
                    "link": absolute_url(_meeting_url(meeting)),
                    "answer": absolute_url(
                        reverse("councils:meeting_answer", kwargs={"token": attendee_answer_token(attendee=attendee)})
                    ),
                },
            )
            message = EmailMessage(f"[Rapport] Invitation: {meeting.title}", body, None, [attendee.user.email])
            message.attach("meeting.ics", ics, "text/calendar; method=PUBLISH; charset=utf-8")
            message.send()
            sent += 1
    return sent


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders that are due: a week before and a day before, each once. Each meeting is claimed
    with `UPDATE … WHERE <sent_at> IS NULL` in the transaction that sends it, so a second worker finds it
    taken (and a send that fails rolls the claim back for the next run). Returns the emails sent."""
    now = now or timezone.now()
    sent = 0
    upcoming = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now)
    # A week ahead (while more than a day is left), and a day ahead.
    due = [
        ("week", "week_reminder_sent_at", upcoming.filter(starts_at__lte=now + WEEK, starts_at__gt=now + DAY)),
        ("day", "day_reminder_sent_at", upcoming.filter(starts_at__lte=now + DAY)),
    ]
    for which, field, meetings in due:
        for pk in meetings.filter(**{f"{field}__isnull": True}).values_list("pk", flat=True):
            with transaction.atomic():
                claimed = Meeting.objects.filter(
                    pk=pk, status=Meeting.Status.SCHEDULED, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if claimed:
                    meeting = Meeting.objects.select_related("council", "created_by").get(pk=pk)
                    sent += _reminder_send(meeting, which=which)
    return sent
