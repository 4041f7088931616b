"""People and data for the quarterly report tests: invented Carl's Soda staff, council terms, mentions."""

from datetime import date, timedelta
from importlib import import_module

from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from councils.models import Council, Term
from councils.quarters import Quarter
from insights.services.ingest import mentions_ingest
from insights.services.rollups import rollups_refresh
from insights.tests.factories import TermFactory, item


def councils_ensure() -> None:
    """The two councils and their seats, as their migration makes them: a transactional test before this one
    emptied every table (the migration's function is idempotent)."""
    from django.apps import apps

    import_module("councils.migrations.0002_councils_and_seats").create(apps, None)


def past_quarter() -> Quarter:
    """The quarter before this one: over, so it can be published."""
    return Quarter.current().previous


def manager(**fields):
    """Insights staff holding councils.manage_councils (as the access rules say managers do)."""
    user = UserFactory(roles=(Role.INSIGHTS_STAFF,), **fields)
    user.user_permissions.add(Permission.objects.get(codename="manage_councils", content_type__app_label="councils"))
    return type(user).objects.get(pk=user.pk)


def member(kind: str, *, chair: bool = False, **fields):
    """A council member holding a current seat of `kind`'s council (a seat of the first free number)."""
    user = UserFactory(roles=(Role.COUNCIL_MEMBER,), **fields)
    council = Council.objects.get(kind=kind)
    held = Term.objects.filter(council=council, vacated_at__isnull=True).values("seat")
    seat = council.seats.exclude(pk__in=held).order_by("number").first()
    today = date.today()
    Term.objects.create(
        seat=seat,
        council=council,
        user=user,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=400),
        is_chair=chair,
        seated_at=timezone.now() - timedelta(days=400),
    )
    return user


def mentions_in(quarter: Quarter, count: int, *, first: int = 1, text: str = "I love Carl's Soda, the cherry one!"):
    """`count` mentions of the brand published in the middle of `quarter`, then a rollup pass."""
    TermFactory()
    when = quarter.start + timedelta(days=40, hours=12)
    result = mentions_ingest([item(n, text=text, published_at=when.isoformat()) for n in range(first, first + count)])
    rollups_refresh()
    return result
