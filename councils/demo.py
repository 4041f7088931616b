"""The councils' demo world. Each part adds a `demo_<part>_seed() -> dict[str, int]` here; each is idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from advocacy.models import InvitationProposal, Membership
from advocacy.services.proposals import proposal_create
from councils.models import Council, Report, SeatKind, Term
from councils.quarters import Quarter
from councils.services.oversight import council_permissions_sync
from councils.services.reports import report_notes_save, report_publish
from councils.services.seats import councils_ensure, nomination_accept, nomination_create, term_make_chair

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
