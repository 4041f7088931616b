from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from accounts.services import demo_departments_seed, user_create
from advocacy.demo import demo_program_seed
from councils.demo import demo_meetings_seed, demo_oversight_seed, demo_reports_seed, demo_seats_seed
from insights.demo import demo_findings_seed, demo_insights_seed
from intranet.demo import (
    demo_feedback_seed,
    demo_history_seed,
    demo_ideas_seed,
    demo_people_seed,
    demo_posts_seed,
)


@transaction.atomic
def demo_seed(*, mentions: int = 20_000) -> dict[str, int]:
    """Create Carl's Soda's demo world; running it again changes nothing.

    Later issues add each app's demo data here. Returns counts of what was created.
    """
    created = 0
    existing = set(User.objects.filter(email__in=[u.email for u in DEMO_USERS]).values_list("email", flat=True))
    for demo in DEMO_USERS:
        if demo.email in existing:
            continue
        user_create(email=demo.email, password=DEMO_PASSWORD, name=demo.name, roles=demo.roles, email_verified=True)
        created += 1
    return {
        "users": created,
        **demo_departments_seed(),
        **demo_people_seed(),
        **demo_insights_seed(mentions=mentions),
        **demo_findings_seed(),
        **demo_program_seed(),
        **demo_ideas_seed(),
        **demo_feedback_seed(),
        **demo_posts_seed(),
        **demo_history_seed(),
        **demo_seats_seed(),
        **demo_oversight_seed(),
        **demo_meetings_seed(),
        **demo_reports_seed(),
    }
