"""Reads of the councils' seats: who sits where, vacancies with their candidates, nominations, history."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from advocacy.models import Membership
from advocacy.selectors.recognition import activity_totals
from councils.models import Council, Nomination, Seat, SeatEvent, SeatKind, Term

CANDIDATES_SHOWN = 8


class CouncilNotFound(Exception):
    """No council of that kind (the views answer 404)."""


@dataclass
class SeatRow:
    seat: Seat
    term: Term | None  # the current term, None when vacant

    @property
    def vacant(self) -> bool:
        return self.term is None


@dataclass
class Candidate:
    user: User
    points: int | None = None  # brand advocates: their points in the program (activity)
    pending: bool = False  # a pending nomination to this council already


@dataclass
class Vacancy:
    kind: str
    seats: list[Seat]
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def label(self) -> str:
        return SeatKind(self.kind).label


def council_get(kind: str) -> Council:
    council = Council.objects.select_related("group").filter(kind=kind).first()
    if council is None:
        raise CouncilNotFound(kind)
    return council


def councils_all() -> QuerySet[Council]:
    return Council.objects.order_by("kind")


def councils_of(user) -> list[Council]:
    """The councils `user` holds a current seat on."""
    if not (user and user.is_authenticated):
        return []
    return list(Council.objects.filter(terms__user=user, terms__vacated_at__isnull=True).distinct().order_by("kind"))


def current_terms(council: Council) -> QuerySet[Term]:
    return Term.objects.filter(council=council, vacated_at__isnull=True).select_related("user", "seat", "depends_on")


def seat_rows(council: Council) -> list[SeatRow]:
    """The council's six seats in order, each with its current term (or None)."""
    terms = {term.seat_id: term for term in current_terms(council)}
    return [SeatRow(seat=seat, term=terms.get(seat.pk)) for seat in council.seats.order_by("number")]


def chair_of(council: Council) -> Term | None:
    return current_terms(council).filter(is_chair=True).first()


def vacancies(council: Council, *, rows: list[SeatRow] | None = None, with_candidates: bool = True) -> list[Vacancy]:
    """The vacant seats grouped by kind, each with the people who could fill them."""
    rows = rows if rows is not None else seat_rows(council)
    by_kind: dict[str, list[Seat]] = {}
    for row in rows:
        if row.vacant:
            by_kind.setdefault(row.seat.kind, []).append(row.seat)
    result = []
    for kind, seats in by_kind.items():
        vacancy = Vacancy(kind=kind, seats=seats)
        if with_candidates:
            vacancy.candidates = candidates_for(council, kind)
        result.append(vacancy)
    return result


def candidates_for(council: Council, kind: str, *, limit: int = CANDIDATES_SHOWN) -> list[Candidate]:
    """Who could take a `kind` seat on `council` now, best first.

    - brand-advocate seats on the Brand council: active ambassadors ranked by activity (points in the
      program, held activity excluded), then by name;
    - brand-advocate seats on the Customer council: the Brand council's brand advocates not yet on it,
      ranked the same way;
    - customer-advocate seats: employees, by name.
    People seated on this council already are left out; a pending nomination is marked.
    """
    seated = Term.objects.filter(council=council, vacated_at__isnull=True).values("user_id")
    pending = set(
        Nomination.objects.filter(
            council=council, status=Nomination.Status.PENDING, expires_at__gt=timezone.now()
        ).values_list("user_id", flat=True)
    )
    if kind == SeatKind.CUSTOMER_ADVOCATE:
        users = users_with_role(Role.EMPLOYEE).exclude(pk__in=seated)[:limit]
        return [Candidate(user=user, pending=user.pk in pending) for user in users]
    members = Membership.objects.filter(status=Membership.Status.ACTIVE, user__is_active=True).exclude(
        user_id__in=seated
    )
    if council.kind == Council.Kind.CUSTOMER:
        on_brand = Term.objects.filter(
            council__kind=Council.Kind.BRAND, vacated_at__isnull=True, seat__kind=SeatKind.BRAND_ADVOCATE
        ).values("user_id")
        members = members.filter(user_id__in=on_brand)
    members = list(members.select_related("user"))
    totals = activity_totals(members)
    members.sort(key=lambda m: (-totals[m.pk].points, (m.user.name or m.user.email).lower()))
    return [Candidate(user=m.user, points=totals[m.pk].points, pending=m.user_id in pending) for m in members[:limit]]


def nominations_pending(council: Council) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(council=council, status=Nomination.Status.PENDING, expires_at__gt=timezone.now())
        .select_related("user", "nominated_by")
        .order_by("created_at")
    )


def history(council: Council, *, limit: int | None = 50) -> QuerySet[SeatEvent]:
    events = SeatEvent.objects.filter(council=council).select_related("user", "by", "seat").order_by("-at", "-id")
    return events[:limit] if limit else events


def nominee_choices(council: Council, kind: str) -> QuerySet[User]:
    """The people a manager's nominate form offers for a `kind` seat (the service checks the rules again)."""
    seated = Term.objects.filter(council=council, vacated_at__isnull=True).values("user_id")
    if kind == SeatKind.CUSTOMER_ADVOCATE:
        return users_with_role(Role.EMPLOYEE).exclude(pk__in=seated)
    users = User.objects.filter(is_active=True, membership__status=Membership.Status.ACTIVE).exclude(pk__in=seated)
    if council.kind == Council.Kind.CUSTOMER:
        users = users.filter(
            council_terms__council__kind=Council.Kind.BRAND,
            council_terms__vacated_at__isnull=True,
            council_terms__seat__kind=SeatKind.BRAND_ADVOCATE,
        )
    return users.order_by("name", "email").distinct()
