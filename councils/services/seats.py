"""Seats and composition: nominate, accept or decline by emailed link, withdraw, make chair, vacate.

The rules (issue 14, "Seats and composition"):
- a brand-advocate seat takes an *active* ambassador (a paused member is not active);
- a customer-advocate seat takes an employee;
- on the Customer council a brand advocate must sit on the Brand council as a brand advocate now,
  and their Customer term depends on that Brand term (`Term.depends_on`);
- six seats of fixed kinds, nobody twice in one council.

They are checked at nomination and again at acceptance, with the council row locked
(`select_for_update`) and the current terms counted in the same transaction; the partial unique
constraints of `councils.models.Term` are the backstop. Councils are always locked in one order
(by kind), so a vacating chain that locks both cannot deadlock with a seating.

A nomination's token is 256 random bits, emailed once; only its SHA-256 is stored (`Nomination.token`).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_roles, user_revoke_roles
from advocacy.models import Membership
from core.exceptions import ApplicationError
from core.links import absolute_url
from councils.models import Council, Nomination, Seat, SeatEvent, SeatKind, Term

logger = logging.getLogger(__name__)

DEFAULT_TERM_DAYS = 365


class SeatingRefused(ApplicationError):
    """A rule refuses the seating: wrong kind of person, no seat of that kind left, already seated…"""

    status_code = 409
    code = "seating_refused"


class NoSeatLeft(SeatingRefused):
    """Accepted too late: every seat of that kind was taken meanwhile."""

    code = "no_seat_left"


class NominationUnusable(ApplicationError):
    """The link is unknown, or the nomination was answered, withdrawn or has expired."""

    status_code = 404
    code = "nomination_unusable"


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def nomination_days() -> int:
    return getattr(settings, "COUNCILS_NOMINATION_DAYS", 14)


PURPOSES = {
    Council.Kind.BRAND: "Oversees the ambassador program and works with the insights team, so that the company has "
    "the most accurate information about its customers.",
    Council.Kind.CUSTOMER: "Oversees the intranet and carries the company's internal conversation out to its "
    "customers.",
}


def councils_ensure() -> dict[str, Council]:
    """The two councils with their groups and six seats each, created where missing (a data migration makes
    them; a flushed database, as after a transactional test, lacks them)."""
    from django.contrib.auth.models import Group

    councils = {}
    with transaction.atomic():
        for kind, composition in Council.COMPOSITION.items():
            council = Council.objects.filter(kind=kind).first()
            if council is None:
                group, _ = Group.objects.get_or_create(name=Council.Kind(kind).label)
                council = Council.objects.create(
                    kind=kind, name=Council.Kind(kind).label, purpose=PURPOSES[kind], group=group
                )
            number = 0
            for seat_kind, count in composition.items():
                for _ in range(count):
                    number += 1
                    Seat.objects.get_or_create(council=council, number=number, defaults={"kind": seat_kind})
            councils[kind] = council
    return councils


def _councils_lock(*kinds: str) -> dict[str, Council]:
    """Lock the councils of `kinds` (all when none), always in the same order (by kind): no deadlock."""
    qs = Council.objects.select_for_update().order_by("kind")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return {council.kind: council for council in qs}


def _name(user: User) -> str:
    return user.name or user.email


def _kind_label(kind: str) -> str:
    return SeatKind(kind).label.lower()


def _event(council: Council, kind: str, *, user=None, seat=None, reason: str = "", by=None) -> SeatEvent:
    event = SeatEvent(council=council, kind=kind, user=user, seat=seat, reason=reason[:2000], by=by)
    event.full_clean()
    event.save()
    return event


def brand_term_of(user: User) -> Term | None:
    """`user`'s current brand-advocate term on the Brand council, or None."""
    return (
        Term.objects.filter(
            council__kind=Council.Kind.BRAND,
            user=user,
            vacated_at__isnull=True,
            seat__kind=SeatKind.BRAND_ADVOCATE,
        )
        .select_related("seat")
        .first()
    )


def _is_active_ambassador(user: User) -> bool:
    return Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).exists()


def _is_employee(user: User) -> bool:
    return user.groups.filter(name=Role.EMPLOYEE).exists()


def _rules_check(*, council: Council, kind: str, user: User, seat_needed: bool = True) -> Term | None:
    """Raise SeatingRefused (a message for people) unless `user` may take a `kind` seat on `council` now.

    Returns the Brand term a Customer-council brand advocate's term depends on (None otherwise).
    Call with the council locked so that the count holds until the transaction ends.
    """
    if kind not in SeatKind.values:
        raise ValidationError({"kind": "Choose a brand-advocate or a customer-advocate seat."})
    who = _name(user)
    if not user.is_active:
        raise SeatingRefused(f"{who}'s account is closed, so they cannot sit on a council.")
    depends_on = None
    if kind == SeatKind.BRAND_ADVOCATE:
        if not _is_active_ambassador(user):
            raise SeatingRefused(
                f"{who} is not an active ambassador: a brand-advocate seat is for active members of the "
                "ambassador program (a paused member is not active)."
            )
        if council.kind == Council.Kind.CUSTOMER:
            depends_on = brand_term_of(user)
            if depends_on is None:
                raise SeatingRefused(
                    f"{who} does not sit on the Brand Advisory Council: the Customer Advisory Council's "
                    "brand advocates must hold a brand-advocate seat on the Brand council first."
                )
    elif not _is_employee(user):
        raise SeatingRefused(f"{who} is not an employee: a customer-advocate seat is for employees.")
    if Term.objects.filter(council=council, user=user, vacated_at__isnull=True).exists():
        raise SeatingRefused(f"{who} already sits on the {council.name}: nobody holds two seats of one council.")
    if seat_needed and _free_seat(council, kind) is None:
        total = Council.COMPOSITION[council.kind][kind]
        raise NoSeatLeft(
            f"All {total} {_kind_label(kind)} seats of the {council.name} are taken: "
            "a council has six seats, and a seat must be vacated before another person can be seated."
        )
    return depends_on


def _free_seat(council: Council, kind: str) -> Seat | None:
    """The lowest-numbered seat of `kind` that no current term holds. Call with the council locked."""
    taken = Term.objects.filter(council=council, vacated_at__isnull=True).values("seat_id")
    return council.seats.filter(kind=kind).exclude(pk__in=taken).order_by("number").first()


def _expire_lapsed(*, council: Council | None = None, user: User | None = None, now=None) -> int:
    qs = Nomination.objects.filter(status=Nomination.Status.PENDING, expires_at__lte=now or timezone.now())
    if council is not None:
        qs = qs.filter(council=council)
    if user is not None:
        qs = qs.filter(user=user)
    return qs.update(status=Nomination.Status.EXPIRED)


@dataclass(frozen=True)
class Nominated:
    nomination: Nomination
    created: bool  # False: the same pending nomination existed already (a retried request)
    token: str | None = None  # the emailed secret, for the caller that sends it elsewhere; None when not created


def nomination_create(
    *,
    council: Council,
    kind: str,
    user: User,
    starts_on: date | None = None,
    ends_on: date | None = None,
    note: str = "",
    by: User | None = None,
    origin: str | None = None,
    email: bool = True,
) -> Nominated:
    """Nominate `user` for a `kind` seat on `council`; they get an email with accept and decline links.

    Idempotent: asking again for the same person, kind and term returns the pending nomination
    (no second email). A pending nomination of the same person for something else is refused.
    `origin` (`core.links.site_origin(request)`) starts the emailed links; SITE_URL without one.
    `email=False` sends nothing (the demo data, which seats invented people at once).
    """
    today = timezone.localdate()
    starts_on = starts_on or today
    ends_on = ends_on or starts_on + timedelta(days=DEFAULT_TERM_DAYS)
    note = (note or "").strip()
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The term must end after it starts."})
    if ends_on <= today:
        raise ValidationError({"ends_on": "The term must end in the future."})
    now = timezone.now()
    with transaction.atomic():
        council = _councils_lock(council.kind)[council.kind]
        _expire_lapsed(council=council, user=user, now=now)
        pending = Nomination.objects.filter(council=council, user=user, status=Nomination.Status.PENDING).first()
        if pending is not None:
            if (pending.kind, pending.starts_on, pending.ends_on) == (kind, starts_on, ends_on):
                return Nominated(pending, created=False)
            raise SeatingRefused(
                f"{_name(user)} already has a pending nomination to the {council.name} "
                f"(sent {date_format(timezone.localtime(pending.created_at).date())}): withdraw it first."
            )
        _rules_check(council=council, kind=kind, user=user)
        token = secrets.token_urlsafe(32)
        nomination = Nomination(
            council=council,
            kind=kind,
            user=user,
            token=token_hash(token),
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            nominated_by=by,
            expires_at=now + timedelta(days=nomination_days()),
        )
        nomination.full_clean()
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError:  # a concurrent identical request won (cannot happen under the lock; backstop)
            pending = Nomination.objects.filter(council=council, user=user, status=Nomination.Status.PENDING).first()
            if pending is not None:
                return Nominated(pending, created=False)
            raise
        _event(
            council,
            SeatEvent.Kind.NOMINATED,
            user=user,
            reason=f"For a {_kind_label(kind)} seat, {date_format(starts_on)} to {date_format(ends_on)}.",
            by=by,
        )
        if email:
            _nomination_email(nomination, token, origin=origin)
    return Nominated(nomination, created=True, token=token)


def nomination_links(token: str, *, origin: str | None = None) -> dict[str, str]:
    page = reverse("councils:nomination", kwargs={"token": token})
    return {
        "accept": absolute_url(page, origin=origin),
        "decline": absolute_url(page + "?answer=decline", origin=origin),
    }


def _nomination_email(nomination: Nomination, token: str, *, origin: str | None) -> None:
    """Email the nominee after the transaction commits (a rolled-back nomination sends nothing)."""
    context = {"nomination": nomination, "links": nomination_links(token, origin=origin), "council": nomination.council}
    subject = render_to_string("councils/email/nomination_subject.txt", context).strip()
    body = render_to_string("councils/email/nomination.txt", context)
    recipient = nomination.user.email

    def send():
        try:
            send_mail(subject, body, None, [recipient])
        except Exception:  # the nomination stands; a manager can withdraw it and nominate again
            logger.exception("could not email nomination %s", nomination.pk)

    transaction.on_commit(send)


def nomination_by_token(*, token: str, user: User) -> Nomination:
    """The nomination of this link for `user` (the signed-in nominee); NominationUnusable otherwise."""
    nomination = (
        Nomination.objects.select_related("council", "user", "term").filter(token=token_hash(token)).first()
        if token
        else None
    )
    if nomination is None or nomination.user_id != user.pk:
        raise NominationUnusable(
            "This nomination link is not valid for you: check that you are signed in as the person it was sent to."
        )
    return nomination


UNUSABLE = {
    Nomination.Status.ACCEPTED: "You accepted this nomination already.",
    Nomination.Status.DECLINED: (
        "You declined this nomination already; ask the council's managers if you changed your mind."
    ),
    Nomination.Status.WITHDRAWN: "This nomination was withdrawn by the council's managers.",
    Nomination.Status.EXPIRED: "This nomination has expired; ask the council's managers to nominate you again.",
    Nomination.Status.FAILED: (
        "Every seat of this kind was taken before you accepted, so this nomination can no longer be used."
    ),
}


def _usable(nomination: Nomination, now) -> None:
    if nomination.status == Nomination.Status.PENDING and nomination.expires_at <= now:
        Nomination.objects.filter(pk=nomination.pk, status=Nomination.Status.PENDING).update(
            status=Nomination.Status.EXPIRED
        )
        nomination.status = Nomination.Status.EXPIRED
    if nomination.status != Nomination.Status.PENDING:
        raise NominationUnusable(UNUSABLE[nomination.status])


def nomination_accept(*, token: str, user: User) -> Term:
    """The nominee accepts: the rules are checked again, and they take the lowest free seat of the kind.

    A retried acceptance of the same nomination returns its term. When every seat of the kind was taken
    meanwhile, the nomination is marked "no seat left" and NoSeatLeft says so.
    """
    nomination = nomination_by_token(token=token, user=user)
    if nomination.status == Nomination.Status.ACCEPTED and getattr(nomination, "term", None) is not None:
        return nomination.term
    now = timezone.now()
    _usable(nomination, now)
    refusal: SeatingRefused | None = None
    with transaction.atomic():
        council = _councils_lock(nomination.council.kind)[nomination.council.kind]
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _usable(nomination, now)
        try:
            depends_on = _rules_check(council=council, kind=nomination.kind, user=user)
        except NoSeatLeft as exc:
            nomination.status = Nomination.Status.FAILED
            nomination.answered_at = now
            nomination.save(update_fields=["status", "answered_at"])
            refusal = NoSeatLeft(
                f"Sorry: every {_kind_label(nomination.kind)} seat of the {council.name} was taken before you "
                f"accepted. {exc.message}"
            )
        if refusal is None:
            term = _seat(council=council, nomination=nomination, user=user, depends_on=depends_on, now=now)
    if refusal is not None:
        raise refusal
    return term


def _seat(*, council: Council, nomination: Nomination, user: User, depends_on: Term | None, now) -> Term:
    seat = _free_seat(council, nomination.kind)
    term = Term(
        seat=seat,
        council=council,
        user=user,
        starts_on=nomination.starts_on,
        ends_on=nomination.ends_on,
        depends_on=depends_on,
        nomination=nomination,
        seated_at=now,
    )
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:  # the constraints caught what the lock should have: answer as clearly
        raise SeatingRefused(
            f"The seat could not be given: {_name(user)} already sits on the {council.name}, or the seat was "
            "taken at the same moment. Reload the page to see the council as it is now."
        ) from None
    nomination.status = Nomination.Status.ACCEPTED
    nomination.answered_at = now
    nomination.save(update_fields=["status", "answered_at"])
    _event(council, SeatEvent.Kind.SEATED, user=user, seat=seat, by=user, reason="Accepted the nomination.")
    user.groups.add(council.group)
    user_grant_roles(user=user, roles=[Role.COUNCIL_MEMBER])
    return term


def nomination_decline(*, token: str, user: User, note: str = "") -> Nomination:
    """The nominee declines (with an optional note). Declining twice answers the same."""
    nomination = nomination_by_token(token=token, user=user)
    if nomination.status == Nomination.Status.DECLINED:
        return nomination
    now = timezone.now()
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().select_related("council").get(pk=nomination.pk)
        _usable(nomination, now)
        nomination.status = Nomination.Status.DECLINED
        nomination.answered_at = now
        nomination.answer_note = (note or "").strip()
        nomination.full_clean()
        nomination.save(update_fields=["status", "answered_at", "answer_note"])
        _event(nomination.council, SeatEvent.Kind.DECLINED, user=user, by=user, reason=nomination.answer_note)
    return nomination


def nomination_withdraw(*, nomination: Nomination, by: User | None = None) -> Nomination:
    """A manager withdraws a pending nomination: its link stops working. Withdrawing twice answers the same."""
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().select_related("council", "user").get(pk=nomination.pk)
        if nomination.status == Nomination.Status.WITHDRAWN:
            return nomination
        if nomination.status != Nomination.Status.PENDING:
            status = nomination.get_status_display().lower()
            raise SeatingRefused(f"This nomination is {status}: it cannot be withdrawn.")
        nomination.status = Nomination.Status.WITHDRAWN
        nomination.answered_at = timezone.now()
        nomination.save(update_fields=["status", "answered_at"])
        _event(nomination.council, SeatEvent.Kind.WITHDRAWN, user=nomination.user, by=by)
    return nomination


def term_make_chair(*, term: Term, by: User | None = None) -> Term:
    """Make a current member the council's chair (the previous chair stays a member)."""
    with transaction.atomic():
        council = _councils_lock(term.council.kind)[term.council.kind]
        term = Term.objects.select_for_update().select_related("user", "seat").get(pk=term.pk)
        if term.vacated_at is not None:
            raise SeatingRefused(f"{_name(term.user)} no longer sits on the {council.name}.")
        if term.is_chair:
            return term
        Term.objects.filter(council=council, vacated_at__isnull=True, is_chair=True).update(is_chair=False)
        term.is_chair = True
        term.save(update_fields=["is_chair"])
        _event(council, SeatEvent.Kind.CHAIR, user=term.user, seat=term.seat, by=by)
    return term


def term_vacate(*, term: Term, reason: str, by: User | None = None) -> list[Term]:
    """Vacate a seat, and every seat that depends on it, in one transaction; returns the terms vacated.

    The holder leaves the council's group, and loses the council-member role when they sit on no
    council any more. Vacating a vacated term changes nothing (returns []).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the seat is vacated; it stays in the council's history."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Keep the reason under 2,000 characters."})
    with transaction.atomic():
        _councils_lock()
        return _vacate(Term.objects.select_for_update().get(pk=term.pk), reason=reason, by=by, now=timezone.now())


def _vacate(term: Term, *, reason: str, by, now) -> list[Term]:
    """Vacate `term` and its dependants. Call with both councils locked."""
    if term.vacated_at is not None:
        return []
    term.vacated_at = now
    term.vacated_reason = reason[:2000]
    term.save(update_fields=["vacated_at", "vacated_reason"])
    council = Council.objects.get(pk=term.council_id)
    user = User.objects.get(pk=term.user_id)
    _event(council, SeatEvent.Kind.VACATED, user=user, seat=term.seat, reason=reason, by=by)
    vacated = [term]
    for dependant in Term.objects.select_for_update().filter(depends_on=term, vacated_at__isnull=True):
        why = f"Their Brand Advisory Council seat was vacated ({reason.rstrip('.')})."
        vacated += _vacate(dependant, reason=why, by=by, now=now)
    _groups_follow(user, council)
    return vacated


def _groups_follow(user: User, council: Council) -> None:
    """Out of the council's group when not seated there; without the council-member role when seated nowhere."""
    seated = set(Term.objects.filter(user=user, vacated_at__isnull=True).values_list("council_id", flat=True))
    if council.pk not in seated:
        user.groups.remove(council.group)
    if not seated:
        user_revoke_roles(user=user, roles=[Role.COUNCIL_MEMBER])


def seats_vacate_for_ambassador(*, user: User, reason: str, by: User | None = None) -> list[Term]:
    """Vacate `user`'s brand-advocate seats (and what depends on them): they are no longer an active ambassador."""
    with transaction.atomic():
        _councils_lock()
        vacated: list[Term] = []
        now = timezone.now()
        terms = Term.objects.select_for_update().filter(
            user=user, vacated_at__isnull=True, seat__kind=SeatKind.BRAND_ADVOCATE
        )
        for term in terms.order_by("council__kind"):  # Brand first: its dependants go with it
            vacated += _vacate(Term.objects.get(pk=term.pk), reason=reason, by=by, now=now)
    return vacated


ENDING_WORDS = {"left": "left", "removed": "removed", "alumni": "term ended", "erased": "personal data erased"}


def seats_on_membership_ended(*, user: User, kind: str, reason: str = "") -> list[Term]:
    """`advocacy.signals.membership_ended`: the person's brand-advocate seats fall vacant."""
    why = (reason or ENDING_WORDS.get(kind, kind)).rstrip(".")
    return seats_vacate_for_ambassador(user=user, reason=f"Left the ambassador program: {why}.")


def seats_reconcile(*, today: date | None = None) -> dict[str, int]:
    """Catch what a lost signal missed; safe to run any number of times. Vacates:

    - brand-advocate seats whose holder is no longer an active ambassador (alumni, paused, or never);
    - seats whose Brand term ended (the chain, for a Brand term vacated without it);
    - terms whose end date has passed.
    """
    today = today or timezone.localdate()
    counts = {"not_active_ambassador": 0, "dependants": 0, "term_ended": 0}
    with transaction.atomic():
        _councils_lock()
        now = timezone.now()
        current = Term.objects.filter(vacated_at__isnull=True)  # the council locks keep it still
        for term in current.filter(seat__kind=SeatKind.BRAND_ADVOCATE).exclude(
            user__membership__status=Membership.Status.ACTIVE
        ):
            term = Term.objects.get(pk=term.pk)
            if term.vacated_at is None:
                status = Membership.objects.filter(user_id=term.user_id).values_list("status", flat=True).first()
                why = {Membership.Status.PAUSED: "paused their membership", Membership.Status.ALUMNI: "left it"}.get(
                    status, "not a member"
                )
                counts["not_active_ambassador"] += len(
                    _vacate(term, reason=f"No longer an active ambassador ({why}).", by=None, now=now)
                )
        for term in current.filter(depends_on__vacated_at__isnull=False):
            term = Term.objects.get(pk=term.pk)
            counts["dependants"] += len(
                _vacate(term, reason="Their Brand Advisory Council seat was vacated.", by=None, now=now)
            )
        for term in current.filter(ends_on__lt=today):
            term = Term.objects.get(pk=term.pk)
            counts["term_ended"] += len(
                _vacate(term, reason=f"The term ended on {date_format(term.ends_on)}.", by=None, now=now)
            )
        counts["nominations_expired"] = _expire_lapsed(now=now)
    return counts
