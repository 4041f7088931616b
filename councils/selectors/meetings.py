"""Reads of the councils' meetings: who sees which, the carried-over action items, and the .ics (RFC 5545)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from accounts.roles import Role, has_role
from core.links import absolute_url
from councils.access import can_manage
from councils.models import ActionItem, Attendee, Council, Meeting, Term


def user_is_chair(*, user, council: Council) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Term.objects.filter(council=council, user=user, vacated_at__isnull=True, is_chair=True).exists()


def council_member_ids(*, council: Council) -> list[int]:
    return list(Term.objects.filter(council=council, vacated_at__isnull=True).values_list("user_id", flat=True))


def meetings_visible_to(*, user) -> QuerySet[Meeting]:
    """Managers see every meeting; members their councils' meetings; anyone invited (executives) the
    meetings they attend."""
    meetings = Meeting.objects.select_related("council")
    if can_manage(user):
        return meetings
    if not (user and user.is_authenticated):
        return meetings.none()
    councils = Term.objects.filter(user=user, vacated_at__isnull=True).values("council_id")
    invited = Attendee.objects.filter(user=user).values("meeting_id")
    return meetings.filter(Q(council_id__in=councils) | Q(pk__in=invited))


def council_meetings_may_view(*, user, council: Council) -> bool:
    """The council's meeting list: managers, members, and executives (who see the meetings they attend)."""
    return (
        can_manage(user)
        or has_role(user, Role.EXECUTIVE)
        or Term.objects.filter(council=council, user=user, vacated_at__isnull=True).exists()
    )


def council_meetings(*, user, council: Council) -> QuerySet[Meeting]:
    return meetings_visible_to(user=user).filter(council=council).order_by("-starts_at")


def meeting_may_record(*, user, meeting: Meeting) -> bool:
    """Minutes, decisions, action items, "held": managers and the council's chair."""
    return can_manage(user) or user_is_chair(user=user, council=meeting.council)


def carried_over_items(*, meeting: Meeting) -> QuerySet[ActionItem]:
    """Open action items of the council's earlier meetings: they carry over to this one."""
    return (
        ActionItem.objects.filter(
            council=meeting.council, status=ActionItem.Status.OPEN, meeting__starts_at__lt=meeting.starts_at
        )
        .exclude(meeting=meeting)
        .select_related("owner", "meeting")
        .order_by("due_on", "id")
    )


def action_items_of(*, meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related("owner").order_by("due_on", "id")


def action_items_owned_by(*, user) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(owner=user)
        .select_related("meeting", "council")
        .order_by(
            # open first, then by due date
            "-status",
            "due_on",
        )
    )


def action_items_visible_to(*, user) -> QuerySet[ActionItem]:
    """Items of the meetings `user` sees, and items they own."""
    return ActionItem.objects.filter(
        Q(meeting__in=meetings_visible_to(user=user).values("pk")) | Q(owner=user)
    ).select_related("owner", "meeting")


def attendee_of(*, user, meeting: Meeting) -> Attendee | None:
    if not (user and user.is_authenticated):
        return None
    return meeting.attendees.filter(user=user).first()


PARTSTAT = {
    Attendee.Response.PENDING: "NEEDS-ACTION",
    Attendee.Response.ACCEPTED: "ACCEPTED",
    Attendee.Response.DECLINED: "DECLINED",
}


def _address(user) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.get_full_name() or user.email)
    return address


def meeting_ics(*, meeting: Meeting, request=None) -> bytes:
    """The meeting as an iCalendar file (RFC 5545, METHOD:PUBLISH): one VEVENT with its UID and SEQUENCE,
    times with the organisation's TZID and its VTIMEZONE, and STATUS:CANCELLED once cancelled."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Rapport//Advisory councils//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.uid}@rapport")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at or meeting.created_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", f"{meeting.title} ({meeting.council.name})")
    page = absolute_url(reverse("councils:meeting", kwargs={"pk": meeting.pk}), request)
    event.add("location", meeting.place or meeting.video_url)
    event.add("url", meeting.video_url or page)
    description = meeting.agenda or "No agenda yet."
    event.add("description", f"{description}\n\n{page}")
    event.add(
        "status",
        {Meeting.Status.CANCELLED: "CANCELLED", Meeting.Status.HELD: "CONFIRMED"}.get(meeting.status, "CONFIRMED"),
    )
    organizer = meeting.created_by
    if organizer is not None:
        event.add("organizer", _address(organizer))
    else:
        event.add("organizer", vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}"))
    for attendee in meeting.attendees.select_related("user"):
        address = _address(attendee.user)
        address.params["PARTSTAT"] = vText(PARTSTAT[attendee.response])
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
