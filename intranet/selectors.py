"""Reads of the intranet: the people directory, new joiners, one person's page.

A person's card carries only what they chose to show (and their name): hidden fields never reach a
template, and search and filters match only shown fields, so neither can reveal a hidden one.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from intranet.models import Profile, Skill


@dataclass
class PersonCard:
    pk: int
    name: str
    has_photo: bool = False
    title: str = ""
    departments: list[str] = field(default_factory=list)
    location: str = ""
    start_date: date | None = None
    bio: str = ""
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


def people() -> QuerySet[User]:
    """Active employees, by name, with what their cards need."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.EMPLOYEE)
        .select_related("profile")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name")),
            Prefetch("profile__skills", queryset=Skill.objects.order_by("key")),
            Prefetch("profile__interests", queryset=Skill.objects.order_by("key")),
        )
        .order_by("name", "email")
    )


def person_card(user: User) -> PersonCard:
    """`user` as colleagues see them: their name, and of the rest only what they chose to show."""
    card = PersonCard(pk=user.pk, name=user.get_full_name())
    profile = getattr(user, "profile", None)
    if profile is None:
        return card
    card.has_photo = profile.show_photo and bool(profile.photo)
    card.title = profile.title if profile.show_title else ""
    card.departments = [d.name for d in user.departments.all()] if profile.show_department else []
    card.location = profile.location if profile.show_location else ""
    card.start_date = profile.start_date if profile.show_start_date else None
    card.bio = profile.bio if profile.show_bio else ""
    if profile.show_skills:
        card.skills = [s.name for s in profile.skills.all()]
        card.interests = [s.name for s in profile.interests.all()]
    return card


def _shown_skill(key: str) -> Q:
    skilled = Profile.skills.through.objects.filter(profile_id=OuterRef("profile__pk"), skill__key=key)
    interested = Profile.interests.through.objects.filter(profile_id=OuterRef("profile__pk"), skill__key=key)
    return Q(profile__show_skills=True) & (Q(Exists(skilled)) | Q(Exists(interested)))


def people_search(*, q: str = "", department: str = "", skill: str = "", location: str = "") -> QuerySet[User]:
    """The directory: employees whose name, or shown title, skills or bio, contain `q`, in the shown
    department (slug), with the shown skill or interest (key), at the shown location (any case)."""
    found = people()
    for word in q.split()[:10]:
        skill_match = Profile.skills.through.objects.filter(
            profile_id=OuterRef("profile__pk"), skill__key__contains=word.casefold()
        )
        found = found.filter(
            Q(name__icontains=word)
            | Q(profile__show_title=True, profile__title__icontains=word)
            | Q(profile__show_bio=True, profile__bio__icontains=word)
            | (Q(profile__show_skills=True) & Q(Exists(skill_match)))
        )
    if department:
        member = User.departments.through.objects.filter(user_id=OuterRef("pk"), department__slug=department)
        found = found.filter(Q(profile__show_department=True) & Q(Exists(member)))
    if skill:
        found = found.filter(_shown_skill(skill.casefold()))
    if location:
        found = found.filter(profile__show_location=True, profile__location__iexact=location)
    return found


def people_filter_choices() -> dict[str, list]:
    """What the directory's filters offer: departments, and the skills and locations someone shows."""
    shown = Profile.objects.filter(user__is_active=True, user__groups__name=Role.EMPLOYEE)
    skills = Skill.objects.filter(
        Q(skilled__in=shown.filter(show_skills=True)) | Q(interested__in=shown.filter(show_skills=True))
    ).distinct()
    locations = shown.filter(show_location=True).exclude(location="").values_list("location", flat=True).distinct()
    return {
        "departments": list(Department.objects.order_by("name").values_list("slug", "name")),
        "skills": list(skills.order_by("key").values_list("key", "name")),
        "locations": sorted(set(locations), key=str.casefold),
    }


def people_new_joiners(*, days: int | None = None) -> QuerySet[User]:
    """Employees who started within the last `days` (INTRANET_NEW_JOINER_DAYS) and show their start
    date, newest first."""
    today = timezone.localdate()
    since = today - timedelta(days=days or settings.INTRANET_NEW_JOINER_DAYS)
    return (
        people()
        .filter(profile__show_start_date=True, profile__start_date__gte=since, profile__start_date__lte=today)
        .order_by("-profile__start_date", "name")
    )


def person_get(*, pk: int) -> User | None:
    """One employee of the directory, or None."""
    return people().filter(pk=pk).first()


def profile_of(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).prefetch_related("skills", "interests").first()
