"""Writes of the employee spotlights: written by holders of councils.publish_spotlights (the Customer
Advisory Council), consented to by the employee themself, published for customers at /spotlights/.

Consent is to exactly what will be published: changing the text or photo after consent clears it (and
unpublishes). Withdrawing consent unpublishes in the same transaction. Publishing without standing consent is
refused here, and the database's check constraint is the backstop.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role, has_permission, has_role
from accounts.services import notify
from core.validators import text_clean
from councils.models import NOTE_MAX, TEXT_MAX, TITLE_MAX, Spotlight
from intranet.services import image_prepare

PUBLISH = "councils.publish_spotlights"
PHOTO_SIZE = 800
RESERVED_SLUGS = {"new", "mine", "manage"}


def _check_writer(by: User) -> None:
    if not has_permission(by, PUBLISH):
        raise PermissionDenied("Only the Customer Advisory Council publishes spotlights.")


def _slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title)[:70] or "spotlight").strip("-") or "spotlight"
    if base in RESERVED_SLUGS:
        base = f"{base}-spotlight"
    slug, n = base, 1
    taken = Spotlight.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _content(*, title: str, quote: str, interview: str) -> dict:
    return {
        "title": text_clean(title, "title", max_length=TITLE_MAX),
        "quote": text_clean(quote, "quote", max_length=NOTE_MAX),
        "interview": text_clean(interview, "interview", max_length=TEXT_MAX),
    }


def spotlight_create(*, employee: User, title: str, quote: str, interview: str, photo=None, by: User) -> Spotlight:
    """A draft spotlight of `employee` (an active employee). It waits for their consent before publishing."""
    _check_writer(by)
    if employee is None or not employee.is_active or not has_role(employee, Role.EMPLOYEE):
        raise ValidationError({"employee": "A spotlight is about an employee: choose an active colleague."})
    fields = _content(title=title, quote=quote, interview=interview)
    prepared = image_prepare(photo, field="photo", max_side=PHOTO_SIZE)[0] if photo else None
    with transaction.atomic():
        spotlight = Spotlight(employee=employee, slug=_slug_for(fields["title"]), created_by=by, **fields)
        spotlight.full_clean(exclude=["photo"])
        if prepared is not None:
            spotlight.photo.save("spotlight.jpg", prepared, save=False)
        spotlight.save()
    return spotlight


def spotlight_update(
    *, spotlight: Spotlight, title: str, quote: str, interview: str, photo=None, by: User
) -> Spotlight:
    """Edit the text (and optionally replace the photo). A change clears the employee's consent, since they
    consented to the version they saw, and so unpublishes the spotlight until they consent again."""
    _check_writer(by)
    fields = _content(title=title, quote=quote, interview=interview)
    prepared = image_prepare(photo, field="photo", max_side=PHOTO_SIZE)[0] if photo else None
    with transaction.atomic():
        locked = Spotlight.objects.select_for_update().get(pk=spotlight.pk)
        changed = prepared is not None or any(getattr(locked, k) != v for k, v in fields.items())
        for key, value in fields.items():
            setattr(locked, key, value)
        if prepared is not None:
            locked.photo.save("spotlight.jpg", prepared, save=False)
        if changed and locked.consent_at is not None:
            locked.consent_at = None
            if locked.status == Spotlight.Status.PUBLISHED:
                locked.status = Spotlight.Status.UNPUBLISHED
        locked.full_clean(exclude=["photo"])
        locked.save()
    return locked


def spotlight_consent_request(*, spotlight: Spotlight, by: User) -> None:
    """Ask the employee (in-app and by email) to review the spotlight and record their consent."""
    _check_writer(by)
    notify(
        users=[spotlight.employee],
        text=f"Your spotlight “{spotlight.title}” is ready: review it, and say whether you consent to its publication.",
        url=reverse("councils:spotlight_consent", kwargs={"pk": spotlight.pk}),
        email=True,
    )


def spotlight_consent_record(*, spotlight: Spotlight, employee: User, consent: bool) -> Spotlight:
    """The employee themself says yes or no to exactly this version. "No" (like a withdrawal) unpublishes."""
    if employee is None or employee.pk != spotlight.employee_id:
        raise PermissionDenied("Only the employee in the spotlight can consent to it.")
    now = timezone.now()
    with transaction.atomic():
        locked = Spotlight.objects.select_for_update().get(pk=spotlight.pk)
        if consent:
            locked.consent_at = now
            locked.consent_withdrawn_at = None
        else:
            locked.consent_withdrawn_at = now
            if locked.status == Spotlight.Status.PUBLISHED:
                locked.status = Spotlight.Status.UNPUBLISHED
        locked.save(update_fields=["consent_at", "consent_withdrawn_at", "status", "updated_at"])
    return locked


def spotlight_consent_withdraw(*, spotlight: Spotlight, employee: User) -> Spotlight:
    """The employee withdraws consent: unpublished at once, in the same transaction."""
    return spotlight_consent_record(spotlight=spotlight, employee=employee, consent=False)


def spotlight_publish(*, spotlight: Spotlight, by: User) -> Spotlight:
    """Publish for customers, with the employee's standing consent; refused clearly without it, or twice."""
    _check_writer(by)
    with transaction.atomic():
        locked = Spotlight.objects.select_for_update().get(pk=spotlight.pk)
        if locked.status == Spotlight.Status.PUBLISHED:
            raise ValidationError("This spotlight is already published.")
        if locked.consent_withdrawn_at is not None:
            raise ValidationError(
                f"{locked.employee.get_full_name() or 'The employee'} has withdrawn (or refused) consent: "
                "it cannot be published."
            )
        if locked.consent_at is None:
            raise ValidationError(
                f"{locked.employee.get_full_name() or 'The employee'} has not consented to this version yet: "
                "ask for their consent first."
            )
        locked.status = Spotlight.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        except IntegrityError:  # the database's backstop: consent changed under us
            raise ValidationError("The employee's consent is not on record: it cannot be published.") from None
    return locked


def spotlight_unpublish(*, spotlight: Spotlight, by: User) -> Spotlight:
    _check_writer(by)
    with transaction.atomic():
        locked = Spotlight.objects.select_for_update().get(pk=spotlight.pk)
        if locked.status == Spotlight.Status.PUBLISHED:
            locked.status = Spotlight.Status.UNPUBLISHED
            locked.save(update_fields=["status", "updated_at"])
    return locked
