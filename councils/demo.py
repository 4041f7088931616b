"""The councils' demo world. Each part adds a `demo_<part>_seed() -> dict[str, int]` here; each is idempotent."""

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from advocacy.models import InvitationProposal, Membership
from advocacy.services.proposals import proposal_create
from councils.models import ActionItem, Council, Meeting, Report, SeatKind, Spotlight, Term
from councils.quarters import Quarter, zone
from councils.services.meetings import (
    action_item_add,
    action_item_set_status,
    meeting_mark_held,
    meeting_record_minutes,
    meeting_schedule,
)
from councils.services.oversight import council_permissions_sync
from councils.services.reports import report_notes_save, report_publish
from councils.services.seats import councils_ensure, nomination_accept, nomination_create, term_make_chair
from councils.services.spotlights import spotlight_consent_record, spotlight_create, spotlight_publish

# Who sits where in the demo (DEMO_USERS and accounts.demo.DEMO_DEPARTMENT_PEOPLE, by handle). The Brand
# council's other three brand advocates are the program's most senior active demo members (advocacy.demo).
BRAND_CUSTOMER_ADVOCATES = ["nora.marketing", "sam.service"]
CUSTOMER_CUSTOMER_ADVOCATES = ["priya.pr", "lena.service", "dario.design", "mei.design"]
BRAND_CHAIR = "cole.council"
CUSTOMER_CHAIR = "priya.pr"
NOT_SEATED = {"amy.ambassador"}  # the demo's plain ambassador stays a plain ambassador
TERM_STARTED_DAYS_AGO = 120


def _person(handle: str) -> User | None:
    from accounts.demo import DEMO_DEPARTMENT_PEOPLE

    emails = {u.handle: u.email for u in DEMO_DEPARTMENT_PEOPLE} | {h: u.email for h, u in DEMO_USERS_BY_HANDLE.items()}
    return User.objects.filter(email=emails[handle]).first()


def _seat(council: Council, kind: str, user: User | None) -> int:
    """Seat `user` at once (nominated and accepted, no email); 0 when absent, seated already, or no seat is free."""
    if user is None or Term.objects.filter(council=council, user=user, vacated_at__isnull=True).exists():
        return 0
    taken = Term.objects.filter(council=council, vacated_at__isnull=True, seat__kind=kind).count()
    if taken >= Council.COMPOSITION[council.kind][kind]:
        return 0
    starts_on = timezone.localdate() - timedelta(days=TERM_STARTED_DAYS_AGO)
    nominated = nomination_create(
        council=council, kind=kind, user=user, starts_on=starts_on, ends_on=starts_on + timedelta(days=365), email=False
    )
    if nominated.token is None:  # a pending nomination from an earlier run: leave it be
        return 0
    nomination_accept(token=nominated.token, user=user)
    return 1


def _brand_advocates() -> list[User]:
    """cole.council, then the longest-standing active demo ambassadors (amy.ambassador aside)."""
    cole = _person("cole.council")
    skip = {DEMO_USERS_BY_HANDLE[h].email for h in NOT_SEATED}
    others = (
        Membership.objects.filter(status=Membership.Status.ACTIVE, user__is_active=True)
        .exclude(user__email__in=skip)
        .exclude(user=cole)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    on_brand = list(
        Term.objects.filter(
            council__kind=Council.Kind.BRAND, vacated_at__isnull=True, seat__kind=SeatKind.BRAND_ADVOCATE
        ).values_list("user_id", flat=True)
    )
    people = [cole] if cole else []
    people += [m.user for m in others if m.user_id in on_brand]  # seated by an earlier run first
    people += [m.user for m in others if m.user_id not in on_brand]
    return people[:4]


@transaction.atomic
def demo_seats_seed() -> dict[str, int]:
    """Seat both councils fully, with a chair each; cole.council sits on both as a brand advocate.

    Safe to call twice (and by the other parts' demo data, which needs seated councils): a second call seats
    nobody new. People missing from the database (the accounts and program demo data run first) are skipped.
    """
    councils = councils_ensure()
    brand, customer = councils[Council.Kind.BRAND], councils[Council.Kind.CUSTOMER]
    seated = 0
    brand_advocates = _brand_advocates()
    for user in brand_advocates:
        seated += _seat(brand, SeatKind.BRAND_ADVOCATE, user)
    for handle in BRAND_CUSTOMER_ADVOCATES:
        seated += _seat(brand, SeatKind.CUSTOMER_ADVOCATE, _person(handle))
    for user in brand_advocates[:2]:  # cole.council and the next: the Customer council's two brand advocates
        seated += _seat(customer, SeatKind.BRAND_ADVOCATE, user)
    for handle in CUSTOMER_CUSTOMER_ADVOCATES:
        seated += _seat(customer, SeatKind.CUSTOMER_ADVOCATE, _person(handle))
    chairs = 0
    for council, handle in ((brand, BRAND_CHAIR), (customer, CUSTOMER_CHAIR)):
        if Term.objects.filter(council=council, vacated_at__isnull=True, is_chair=True).exists():
            continue
        term = Term.objects.filter(council=council, vacated_at__isnull=True, user=_person(handle)).first()
        if term is not None:
            term_make_chair(term=term)
            chairs += 1
    return {"council_seats": seated, "council_chairs": chairs}


def demo_oversight_seed() -> dict[str, int]:
    """Oversight: the councils' groups hold their permissions (so the demo's seated members get them through
    the group), and Cole (Brand council) has proposed one invitation that waits for a manager."""
    added = council_permissions_sync()
    proposed = 0
    cole = User.objects.filter(email=DEMO_USERS_BY_HANDLE["cole.council"].email).first()
    email = "marisol.vega@customers.example"
    if cole and not InvitationProposal.objects.filter(email__iexact=email).exists():
        proposal_create(
            email=email,
            name="Marisol Vega",
            reason="She runs a soda-tasting club in Portland and has posted about Cherry Fizz every month this year.",
            proposed_by=cole,
        )
        proposed = 1
    return {"oversight_permissions_added": added, "invitation_proposals": proposed}


DEMO_PUBLISHER = "ada.admin@carlssoda.example"  # accounts.demo: the demo's admin, who manages the councils
DEMO_REPORT_NOTES = {
    Council.Kind.BRAND: "The can redesign dominated the quarter. We asked the insights team for a follow-up on "
    "the negative themes and the program team for more stories from new ambassadors.",
    Council.Kind.CUSTOMER: "Ideas moved faster than last quarter. We want the feedback themes shared with the "
    "executives before the next meeting.",
}


def demo_reports_seed() -> dict[str, int]:
    """Both councils' reports for the two quarters before this one, with notes, published (computed from
    the demo data of those quarters: the demo's mentions cover the last 395 days). Again: changes nothing."""
    publisher = User.objects.filter(email=DEMO_PUBLISHER).first()
    if publisher is None:
        return {"council_reports": 0}
    published = 0
    current = Quarter.of(timezone.now())
    for council in Council.objects.all():
        for quarter in (current.previous.previous, current.previous):
            row = Report.objects.filter(council=council, quarter=str(quarter)).first()
            if row is not None and row.status == Report.Status.PUBLISHED:
                continue
            if row is None or not row.notes:
                report_notes_save(council=council, quarter=quarter, notes=DEMO_REPORT_NOTES[council.kind], by=publisher)
            report_publish(council=council, quarter=quarter, by=publisher)
            published += 1
    return {"council_reports": published}


MANAGER = "ana.insights@carlssoda.example"
EXECUTIVE = "erin.exec@carlssoda.example"
SPOTLIGHT_SLUG = "mei-tanaka-designs-the-can-you-hold"


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=zone())


@transaction.atomic
def demo_meetings_seed() -> dict[str, int]:
    """For each council (seated by demo_seats_seed): last quarter's meeting, held, with minutes, decisions and
    two action items (one done, one open that carries over), and the next meeting scheduled with an executive.
    One published spotlight."""
    manager = User.objects.filter(email=MANAGER).first()
    executive = User.objects.filter(email=EXECUTIVE).first()
    if manager is None:
        return {"council_meetings": 0, "council_action_items": 0, "spotlights": 0}
    manager = User.objects.get(pk=manager.pk)  # fresh permissions
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
    return {"council_meetings": meetings, "council_action_items": items, "spotlights": _demo_spotlight()}


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
