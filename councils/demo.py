"""The councils' demo data: each part adds a `demo_<part>_seed() -> dict[str, int]` (idempotent, invented people).

`dashboard.services.demo_seed` calls them.
"""

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_roles
from councils.models import ActionItem, Council, Meeting, Seat, SeatKind, Spotlight, Term
from councils.quarters import Quarter, zone
from councils.services.meetings import (
    action_item_add,
    action_item_set_status,
    meeting_mark_held,
    meeting_record_minutes,
    meeting_schedule,
)
from councils.services.spotlights import spotlight_consent_record, spotlight_create, spotlight_publish

MANAGER = "ana.insights@carlssoda.example"
EXECUTIVE = "erin.exec@carlssoda.example"
SPOTLIGHT_SLUG = "mei-tanaka-designs-the-can-you-hold"

# Used only when no seats part has seated anyone yet: {council: [(email, seat kind, chair)]}. Invented colleagues
# (accounts.demo DEMO_DEPARTMENT_PEOPLE) and Cole, the demo's council member: the sign-in personas keep their roles.
FALLBACK_SEATS = {
    Council.Kind.BRAND: [
        ("cole.council@example.net", SeatKind.BRAND_ADVOCATE, True),
        ("nora.marketing@carlssoda.example", SeatKind.CUSTOMER_ADVOCATE, False),
    ],
    Council.Kind.CUSTOMER: [
        ("theo.marketing@carlssoda.example", SeatKind.CUSTOMER_ADVOCATE, True),
        ("sam.service@carlssoda.example", SeatKind.CUSTOMER_ADVOCATE, False),
        ("cole.council@example.net", SeatKind.BRAND_ADVOCATE, False),
    ],
}


def _fallback_seat(council: Council) -> int:
    """Seat a few demo people through Term rows, only if the council has never had anyone seated."""
    if Term.objects.filter(council=council).exists():
        return 0
    seated = 0
    today = timezone.localdate()
    for email, kind, chair in FALLBACK_SEATS[council.kind]:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        taken = Term.objects.filter(council=council, vacated_at__isnull=True).values("seat_id")
        seat = Seat.objects.filter(council=council, kind=kind).exclude(pk__in=taken).order_by("number").first()
        depends_on = None
        if council.kind == Council.Kind.CUSTOMER and kind == SeatKind.BRAND_ADVOCATE:
            depends_on = Term.objects.filter(
                council__kind=Council.Kind.BRAND, user=user, vacated_at__isnull=True
            ).first()
            if depends_on is None:
                continue
        Term.objects.create(
            seat=seat, council=council, user=user, starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=530), is_chair=chair, depends_on=depends_on, seated_at=timezone.now(),
        )  # fmt: skip
        user.groups.add(council.group)
        user_grant_roles(user=user, roles=[Role.COUNCIL_MEMBER])
        seated += 1
    return seated


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=zone())


@transaction.atomic
def demo_meetings_seed() -> dict[str, int]:
    """For each council: last quarter's meeting, held, with minutes, decisions and two action items (one done,
    one open that carries over), and the next meeting scheduled with an executive. One published spotlight."""
    manager = User.objects.filter(email=MANAGER).first()
    executive = User.objects.filter(email=EXECUTIVE).first()
    if manager is None:
        return {"council_meetings": 0, "council_action_items": 0, "spotlights": 0}
    manager = User.objects.get(pk=manager.pk)  # fresh permissions
    seats_seed = globals().get("demo_seats_seed")
    seated = 0
    if seats_seed is not None:
        seats_seed()
    else:
        for council in Council.objects.order_by("kind"):
            seated += _fallback_seat(council)
    meetings = items = 0
    quarter = Quarter.current()
    invited = [executive] if executive else []
    for council in Council.objects.order_by("kind"):
        if Meeting.objects.filter(idempotency_key=f"demo:meeting:{council.kind}:past").exists():
            continue
        past_day = quarter.previous.first_day + timedelta(days=45 + (3 if council.kind == "customer" else 0))
        past, _ = meeting_schedule(
            council=council, title=f"{quarter.previous} meeting with executives", starts_at=_at(past_day, 10),
            duration=timedelta(minutes=90), place="Carl's Soda HQ, board room",
            agenda="1. The quarter in numbers\n2. What customers said\n3. What employees said\n4. Actions",
            executives=invited, by=manager, idempotency_key=f"demo:meeting:{council.kind}:past", notify_attendees=False,
        )  # fmt: skip
        meeting_mark_held(meeting=past, by=manager)
        meeting_record_minutes(
            meeting=past, by=manager,
            minutes="The council walked the executives through the quarter's mentions and the intranet's ideas. "
            "Customers keep asking for the can redesign; employees keep asking for the same.",
            decisions="Pilot the resealable can in Portland.\nPublish one employee spotlight a quarter.",
        )  # fmt: skip
        members = list(
            User.objects.filter(council_terms__council=council, council_terms__vacated_at__isnull=True).order_by("pk")
        )
        owner = members[0] if members else manager
        done, _ = action_item_add(
            meeting=past, title="Share the resealable-can survey with the council", owner=manager,
            due_on=past_day + timedelta(days=21), by=manager, idempotency_key=f"demo:item:{council.kind}:done",
        )  # fmt: skip
        action_item_set_status(item=done, status=ActionItem.Status.DONE, by=manager)
        action_item_add(
            meeting=past, title="Collect ten customer stories about the can", owner=owner,
            due_on=quarter.first_day + timedelta(days=30), by=manager, idempotency_key=f"demo:item:{council.kind}:open",
        )  # fmt: skip
        next_day = max(timezone.localdate() + timedelta(days=21), quarter.first_day + timedelta(days=45))
        meeting_schedule(
            council=council, title=f"{quarter} meeting with executives", starts_at=_at(next_day, 14),
            duration=timedelta(minutes=90), video_url="https://meet.carlssoda.example/council",
            agenda="1. Carried-over actions\n2. The conversation gap\n3. Spotlights",
            executives=invited, by=manager, idempotency_key=f"demo:meeting:{council.kind}:next", notify_attendees=False,
        )  # fmt: skip
        meetings += 2
        items += 2
    return {"council_demo_seats": seated, "council_meetings": meetings, "council_action_items": items,
            "spotlights": _demo_spotlight()}  # fmt: skip


def _portrait() -> SimpleUploadedFile:
    image = Image.new("RGB", (600, 600), (214, 40, 57))
    draw = ImageDraw.Draw(image)
    draw.ellipse((180, 90, 420, 330), fill=(250, 220, 190))
    draw.rectangle((140, 360, 460, 600), fill=(30, 60, 120))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("mei.jpg", out.getvalue(), content_type="image/jpeg")


def _demo_spotlight() -> int:
    if Spotlight.objects.filter(slug=SPOTLIGHT_SLUG).exists():
        return 0
    employee = User.objects.filter(email="mei.design@carlssoda.example").first()
    writer = User.objects.filter(email="ada.admin@carlssoda.example").first()  # admins hold every permission
    if employee is None or writer is None:
        return 0
    spotlight = spotlight_create(
        employee=employee, title="Mei Tanaka designs the can you hold", by=writer, photo=_portrait(),
        quote="When a customer says the can slips in their hand, that is my next sketch.",
        interview="**What do you do at Carl's Soda?**\n\nI design our cans and bottles.\n\n"
        "**What did customers teach you this year?**\n\nThat a can should be easy to open with cold fingers. "
        "The resealable top came from a thread of customer mentions and an idea on our intranet.",
    )  # fmt: skip
    spotlight_consent_record(spotlight=spotlight, employee=employee, consent=True)
    spotlight_publish(spotlight=spotlight, by=writer)
    return 1
