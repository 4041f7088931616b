from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_DEPARTMENT_PEOPLE, DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_USERS
from accounts.models import ApiKey, Department, DepartmentMembership, Notification, NotificationDigest, User
from accounts.roles import Role, has_role
from accounts.scopes import scopes_validate
from accounts.selectors import notifications_unread_forget
from core.exceptions import ApplicationError
from core.links import absolute_url, site_origin
from core.queue import task_queue_on_commit


def _role_group(role: str) -> Group:
    """The role's group; made with the role's default permissions (settings.ROLE_DEFAULT_PERMISSIONS) if missing."""
    group, created = Group.objects.get_or_create(name=role)
    if created:
        for name in settings.ROLE_DEFAULT_PERMISSIONS.get(role, ()):
            app_label, codename = name.split(".")
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return group


def user_grant_roles(*, user: User, roles) -> None:
    """Add `roles` to `user` (idempotent). Admins also get Django admin access."""
    roles = list(roles)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(f"Unknown role(s): {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        # get_or_create: the groups come from data migrations, but a flushed
        # database (transactional tests, a restored dump) may lack them.
        user.groups.add(*(_role_group(role) for role in roles))
        if Role.ADMIN in roles and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    for attribute in ("_rapport_roles", "_perm_cache"):
        user.__dict__.pop(attribute, None)


class ApiKeyCreatedAlready(ApplicationError):
    status_code = 409
    code = "api_key_created_already"


def api_key_create(
    *,
    name: str,
    scopes,
    created_by: User | None = None,
    expires_at: datetime | None = None,
    creation_token: str | None = None,
) -> tuple[ApiKey, str]:
    """Create an API key and return it with its plain key, which is never stored or shown again.

    `creation_token` (a create form's one-time token) makes the call idempotent: a second call
    with it raises ApiKeyCreatedAlready, since the first key's plain key exists nowhere to show.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the key a name that says who uses it."})
    try:
        cleaned = scopes_validate(scopes)
    except ValueError as exc:
        raise ValidationError({"scopes": str(exc)}) from exc
    if not cleaned:
        raise ValidationError({"scopes": "Grant at least one scope."})
    if expires_at and expires_at <= timezone.now():
        raise ValidationError({"expiry_date": "The expiry must be in the future."})
    if creation_token and ApiKey.objects.filter(creation_token=creation_token).exists():
        raise _created_already(creation_token)
    try:
        with transaction.atomic():
            return ApiKey.objects.create_key(
                name=name, scopes=cleaned, created_by=created_by, expiry_date=expires_at, creation_token=creation_token
            )
    except IntegrityError:  # the same form sent twice at once: the other request made the key
        if creation_token and ApiKey.objects.filter(creation_token=creation_token).exists():
            raise _created_already(creation_token) from None
        raise


def _created_already(creation_token: str) -> ApiKeyCreatedAlready:
    api_key = ApiKey.objects.get(creation_token=creation_token)
    return ApiKeyCreatedAlready(
        f"This form created the key “{api_key.name}” ({api_key.prefix}) already, and a key is shown only once. "
        "If you did not copy it, revoke it and create another."
    )


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once; every later request with it gets 401. Idempotent."""
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
    return api_key


@transaction.atomic
def user_create(*, email: str, password: str | None, name: str = "", roles=(), email_verified: bool = False) -> User:
    """Create a user with roles; `email_verified` records the address as confirmed for allauth."""
    from allauth.account.models import EmailAddress

    user = User(email=User.objects.normalize_email(email).lower(), name=name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    user_grant_roles(user=user, roles=roles)
    return user


def user_revoke_roles(*, user: User, roles) -> None:
    """Remove `roles` from `user` (idempotent)."""
    user.groups.remove(*Group.objects.filter(name__in=list(roles)))
    for attribute in ("_rapport_roles", "_perm_cache"):
        user.__dict__.pop(attribute, None)


# --- Departments ---------------------------------------------------------------

DEPARTMENT_MEMBER_ROLES = (Role.EMPLOYEE, Role.INSIGHTS_STAFF)


def department_member_check(*, user: User) -> None:
    """Raise ValidationError unless `user` may belong to a department: an employee or insights staff."""
    if not has_role(user, *DEPARTMENT_MEMBER_ROLES):
        raise ValidationError({"user": f"{user} is not an employee or insights staff, so cannot join a department."})


@transaction.atomic
def department_create(*, slug: str, name: str, members=(), lead: User | None = None) -> Department:
    """Create a department with its members and, optionally, its lead (who must be among them)."""
    department = Department(slug=slug, name=(name or "").strip())
    department.full_clean()
    department.save()
    for user in members:
        department_member_add(department=department, user=user)
    if lead is not None:
        department_lead_set(department=department, lead=lead)
    return department


def department_member_add(*, department: Department, user: User) -> DepartmentMembership:
    """Add `user` to `department`. Idempotent: adding a member again returns their membership."""
    department_member_check(user=user)
    membership, _ = DepartmentMembership.objects.get_or_create(department=department, user=user)
    return membership


@transaction.atomic
def department_member_remove(*, department: Department, user: User) -> None:
    """Take `user` out of `department`; a lead who leaves stops being the lead. Idempotent."""
    # Locked so that a concurrent department_lead_set cannot name someone who is leaving.
    locked = Department.objects.select_for_update().get(pk=department.pk)
    if locked.lead_id == user.pk:
        locked.lead = None
        locked.save(update_fields=["lead"])
    DepartmentMembership.objects.filter(department=locked, user=user).delete()
    department.lead_id = locked.lead_id


@transaction.atomic
def department_lead_set(*, department: Department, lead: User | None) -> Department:
    """Name `lead` (a member) the department's lead, or clear the lead with None."""
    locked = Department.objects.select_for_update().get(pk=department.pk)
    if lead is not None and not DepartmentMembership.objects.filter(department=locked, user=lead).exists():
        raise ValidationError({"lead": f"{lead} is not a member of {locked}: add them first."})
    locked.lead = lead
    locked.save(update_fields=["lead"])
    department.lead = lead
    return department


@transaction.atomic
def demo_departments_seed() -> dict[str, int]:
    """Give each demo department a lead and a few members from the demo people; running it again changes nothing.

    A department that already has a lead keeps it (an admin may have named another).
    """
    people = {demo.handle: demo for demo in [*DEMO_USERS, *DEMO_DEPARTMENT_PEOPLE]}
    wanted = {handle for _, lead, others in DEMO_DEPARTMENTS.values() for handle in (lead, *others)}
    existing = {user.email: user for user in User.objects.filter(email__in=[people[h].email for h in wanted])}
    users, created = {}, 0
    for handle in sorted(wanted):
        demo = people[handle]
        if demo.email not in existing:
            existing[demo.email] = user_create(
                email=demo.email, password=DEMO_PASSWORD, name=demo.name, roles=demo.roles, email_verified=True
            )
            created += 1
        users[handle] = existing[demo.email]
    memberships = 0
    for slug, (name, lead, others) in DEMO_DEPARTMENTS.items():
        department = Department.objects.filter(slug=slug).first()
        if department is None:  # a flushed database, or an admin deleted it
            department = department_create(slug=slug, name=name)
        before = department.memberships.count()
        for handle in (lead, *others):
            department_member_add(department=department, user=users[handle])
        memberships += department.memberships.count() - before
        if department.lead_id is None:
            department_lead_set(department=department, lead=users[lead])
    return {"department_people": created, "department_members": memberships}


# --- Notifications -----------------------------------------------------------


def notify(*, users, text: str, url: str, email: bool = False) -> list[Notification]:
    """One in-app notification per user (each once, however often they are listed), and, with
    `email`, an email of it with an absolute link, sent after commit by a Celery task."""
    people = {user.pk: user for user in users if user is not None}
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [Notification(user_id=pk, text=text[:300], url=url) for pk in sorted(people)]
        )
        if email and created:
            task_queue_on_commit("accounts.tasks.notifications_email_task", [n.pk for n in created])
    notifications_unread_forget(*people)
    return created


def notifications_email_send(*, notification_ids) -> int:
    """Email each of these notifications not emailed yet to its user; safe to run twice."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        body = render_to_string(
            "accounts/email/notification.txt", {"notification": notification, "link": absolute_url(notification.url)}
        )
        send_mail(f"[Rapport] {notification.text}", body, None, [notification.user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notifications_mark_read(*, user: User, ids=None, url: str | None = None) -> int:
    """Mark `user`'s notifications read: these ids (others' ids are ignored), or those that link to `url`
    (the page they point to was opened), or all."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    if url is not None:
        unread = unread.filter(url=url)
    count = unread.update(read_at=timezone.now())
    notifications_unread_forget(user.pk)
    return count


# --- The daily digest ----------------------------------------------------------

# What a digest covers: the unread notifications not emailed yet since the user's previous digest, and at
# least those of the last 24 hours (a first digest does not dig up older ones). A late run leaves no gap.
DIGEST_WINDOW = timedelta(hours=24)


def notification_digest_set(*, user: User, enabled: bool) -> User:
    """Opt `user` in to the daily email digest, or out of it."""
    User.objects.filter(pk=user.pk).update(notification_digest=enabled)
    user.notification_digest = enabled
    return user


def _digest_pending(*, now: datetime, day: date):
    """Every user's notifications that their digest of `day` would carry (filter it on a user)."""
    previous = (
        NotificationDigest.objects.filter(user=OuterRef("user"), day__lt=day).order_by("-day").values("sent_at")[:1]
    )
    return Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, created_at__lte=now).filter(
        Q(created_at__gt=now - DIGEST_WINDOW) | Q(created_at__gt=Subquery(previous))
    )


def notification_digests_send(*, now: datetime | None = None) -> int:
    """Email each opted-in active user one digest of their unread notifications of the day (see
    DIGEST_WINDOW) that were not emailed yet; returns how many digests went. A user gets at most one a
    day (the organisation's date): a second run, a retry or two runs at once send nothing more. Nobody
    with nothing new gets one."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    people = (
        User.objects.filter(is_active=True, notification_digest=True)
        .filter(Exists(_digest_pending(now=now, day=day).filter(user=OuterRef("pk"))))
        .filter(~Exists(NotificationDigest.objects.filter(user=OuterRef("pk"), day=day)))
        .order_by("pk")
    )
    return sum(_digest_send(user=user, day=day, now=now) for user in people)


def _digest_send(*, user: User, day: date, now: datetime) -> bool:
    with transaction.atomic():
        try:
            # The day's row first: a run that comes second waits here for the first to commit, then stops.
            with transaction.atomic():
                digest = NotificationDigest.objects.create(user=user, day=day, sent_at=now)
        except IntegrityError:
            return False
        notifications = list(
            _digest_pending(now=now, day=day).filter(user=user).select_for_update().order_by("created_at", "id")
        )
        if not notifications:  # read or emailed since the list was made: keep no row, send nothing
            transaction.set_rollback(True)
            return False
        origin = site_origin()
        body = render_to_string(
            "accounts/email/digest.txt",
            {
                "user": user,
                "day": day,
                "items": [(n, absolute_url(n.url, origin=origin)) for n in notifications],
                "notifications_link": absolute_url(reverse("accounts:notifications"), origin=origin),
            },
        )
        count = len(notifications)
        subject = f"[Rapport] {count} unread notification{'s' if count != 1 else ''} of {day:%-d %B %Y}"
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        NotificationDigest.objects.filter(pk=digest.pk).update(notification_count=count)
        # Last: a mail that fails rolls the rest back, so a retry sends it; one sent is never sent again.
        send_mail(subject, body, None, [user.email])
    return True
