"""Demo data for the intranet, invented: profiles of the Carl's Soda employees, and ideas with votes, comments and
statuses. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO_DEPARTMENT_PEOPLE, DEMO_USERS
from accounts.models import User
from intranet.services import profile_update

# handle -> (title, location, started this many days ago, bio, skills, interests, what they hide)
DEMO_PROFILES = {
    "eli.employee": (
        "Brand coordinator",
        "Head office, Portland",
        400,
        "I keep our shelves, cans and posters saying the same thing.",
        "Brand guidelines, Excel",
        "Cycling",
        (),
    ),
    "nora.marketing": (
        "Head of marketing",
        "Head office, Portland",
        2200,
        "Ten years of soda launches, one favourite: Cherry Fizz.",
        "Campaign planning, Storytelling",
        "Jazz",
        (),
    ),
    "theo.marketing": (
        "Social media manager",
        "Head office, Portland",
        12,
        "Just joined from a craft-beer brewery. Ask me about memes.",
        "Social media, Video editing",
        "Surfing",
        ("show_location",),
    ),
    "priya.pr": (
        "PR lead",
        "Seattle office",
        1500,
        "Press, partners and the occasional crisis.",
        "Media relations",
        "Chess",
        (),
    ),
    "jonas.pr": (
        "PR associate",
        "Seattle office",
        45,
        "New here, happy to help with any press kit.",
        "Copywriting",
        "Hiking",
        ("show_bio",),
    ),
    "sam.service": (
        "Customer service lead",
        "Boise contact centre",
        900,
        "Our customers' voice in every meeting.",
        "Zendesk, Coaching",
        "Baking",
        (),
    ),
    "lena.service": (
        "Customer care agent",
        "Boise contact centre",
        70,
        "",
        "Spanish, Zendesk",
        "Gardening",
        ("show_start_date",),
    ),
    "dario.design": (
        "Head of product design",
        "Portland bottling plant",
        1800,
        "Every new flavour starts on my bench.",
        "Flavour chemistry, Fermentation",
        "Photography",
        (),
    ),
    "mei.design": (
        "Packaging designer",
        "Portland bottling plant",
        20,
        "I drew the new Lime Spark can.",
        "Packaging, Illustration",
        "Ceramics",
        (),
    ),
}


def demo_people_seed() -> dict[str, int]:
    """Profiles for the demo employees who have none yet (an edited profile is left as it is)."""
    emails = {demo.handle: demo.email for demo in [*DEMO_USERS, *DEMO_DEPARTMENT_PEOPLE]}
    users = User.objects.filter(email__in=[emails[h] for h in DEMO_PROFILES]).exclude(profile__isnull=False)
    by_email = {user.email: user for user in users}
    today, created = timezone.localdate(), 0
    for handle, (title, location, days, bio, skills, interests, hidden) in DEMO_PROFILES.items():
        user = by_email.get(emails[handle])
        if user is None:
            continue
        profile_update(
            user=user,
            title=title,
            location=location,
            start_date=today - timedelta(days=days),
            bio=bio,
            skills=skills,
            interests=interests,
            visibility=dict.fromkeys(hidden, False),
        )
        created += 1
    return {"profiles": created}


IDEA_MANAGER = "nora.marketing@carlssoda.example"  # holds intranet.manage_ideas in the demo

# (title, description, category, author handle, voters (handles), status, reason/response, days ago)
DEMO_IDEAS = [
    (
        "A sugar-free cherry fizz",
        "Half of the tasting panel asks for it every month.",
        "product",
        "eli.employee",
        ("nora.marketing", "theo.marketing", "priya.pr", "sam.service", "mei.design"),
        "planned",
        "Recipe trials start next quarter in the Leeds plant.",
        20,
    ),
    (
        "Refill stations on every floor",
        "Fewer cans in the bins, cold soda closer to desks.",
        "sustainability",
        "lena.service",
        ("eli.employee", "dario.design", "jonas.pr"),
        "under_review",
        "",
        6,
    ),
    (
        "Bike racks by the bottling plant",
        "Twenty covered racks; the current six are always full.",
        "workplace",
        "dario.design",
        ("mei.design", "lena.service"),
        "new",
        "",
        2,
    ),
    (
        "A customer tasting day each quarter",
        "Invite fans to taste what we are trying.",
        "customers",
        "priya.pr",
        ("jonas.pr", "eli.employee", "theo.marketing", "sam.service"),
        "in_progress",
        "The first one is booked for the spring fair.",
        40,
    ),
    (
        "Shared calendar for the line shifts",
        "Swap shifts without three emails.",
        "process",
        "sam.service",
        ("lena.service",),
        "done",
        "Live in the shift tool since Monday.",
        60,
    ),
    (
        "Free soda on Fridays for everyone",
        "All flavours, all day.",
        "workplace",
        "theo.marketing",
        ("eli.employee",),
        "declined",
        "It already is free in every kitchen, every day.",
        15,
    ),
    (
        "Refill points on each floor",
        "A duplicate of the refill stations idea.",
        "sustainability",
        "mei.design",
        ("eli.employee", "nora.marketing"),
        "new",
        "",
        3,
    ),
]


def demo_ideas_seed() -> dict[str, int]:
    """Idempotent: does nothing when the demo ideas exist already."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import user_roles_forget
    from intranet.idea_services import idea_comment, idea_merge, idea_status_set, idea_submit, idea_vote
    from intranet.models import Idea

    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@carlssoda.example")}
    manager = User.objects.filter(email=IDEA_MANAGER).first()
    if manager is None or Idea.objects.filter(title=DEMO_IDEAS[0][0]).exists():
        return {"ideas": 0}
    manager.user_permissions.add(Permission.objects.get(codename="manage_ideas", content_type__app_label="intranet"))
    user_roles_forget(manager.pk)
    manager = User.objects.get(pk=manager.pk)
    created = {}
    for title, description, category, author, voters, status, text, days in DEMO_IDEAS:
        if author not in people:
            continue
        idea, _ = idea_submit(author=people[author], title=title, description=description, category=category)
        for handle in voters:
            if handle in people:
                idea_vote(idea=idea, voter=people[handle])
        if status != "new":
            declined = status == "declined"
            idea_status_set(
                idea=idea, status=status, by=manager, reason=text if declined else "", response="" if declined else text
            )
        Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))
        created[title] = idea
    if "eli.employee" in people and DEMO_IDEAS[1][0] in created:
        idea_comment(idea=created[DEMO_IDEAS[1][0]], author=people["eli.employee"], text="Yes, and chilled please.")
    if DEMO_IDEAS[1][0] in created and DEMO_IDEAS[-1][0] in created:
        idea_merge(idea=created[DEMO_IDEAS[-1][0]], into=created[DEMO_IDEAS[1][0]], by=manager)
    return {"ideas": len(created)}


# --- Workplace feedback, suggestions and the pulse ------------------------------------------------

FEEDBACK_MODERATOR = "priya.pr@carlssoda.example"  # holds intranet.moderate_intranet (the council) in the demo

# (kind, topic, text, giver's handle or None for anonymous, says their department, days ago, public answer)
DEMO_FEEDBACK = [
    (
        "suggestion",
        "facilities",
        "Put shade sails over the loading bay: it gets to 35 °C in July.",
        None,
        False,
        40,
        "Ordered: they go up before the summer.",
    ),
    (
        "suggestion",
        "tools",
        "A shared label printer for the sample room.",
        "mei.design",
        True,
        25,
        "Done: it is by the door, next to the tasting fridge.",
    ),
    (
        "suggestion",
        "culture",
        "A monthly 'new flavour Friday' where any team can pitch a recipe.",
        "theo.marketing",
        False,
        12,
        "",
    ),
    ("suggestion", "growth", "Lunch-and-learn sessions on how our bottling line works.", None, True, 5, ""),
    (
        "feedback",
        "workload",
        "The end-of-quarter rush in customer service is every quarter, not a surprise.",
        None,
        True,
        30,
        "",
    ),
    (
        "feedback",
        "management",
        "Thanks for sharing the sales figures every Monday: it helps a lot.",
        "sam.service",
        True,
        18,
        "",
    ),
    ("feedback", "tools", "The CRM logs me out every twenty minutes.", None, False, 9, ""),
    ("feedback", "culture", "Our team's wins get noticed now. Keep the shout-outs coming.", "jonas.pr", False, 3, ""),
]

# handle -> the four quarters' scores, oldest first (invented)
DEMO_PULSE = {
    "eli.employee": (8, 9, 9, 10),
    "nora.marketing": (9, 9, 10, 10),
    "theo.marketing": (6, 7, 8, 9),
    "priya.pr": (7, 7, 8, 8),
    "jonas.pr": (10, 9, 9, 9),
    "sam.service": (5, 6, 6, 7),
    "lena.service": (4, 6, 7, 7),
    "dario.design": (9, 10, 9, 10),
    "mei.design": (7, 8, 9, 9),
}
DEMO_PULSE_COMMENTS = {
    "sam.service": "More people on the phones at quarter end, please.",
    "dario.design": "Best team I have worked in.",
}


def demo_feedback_seed() -> dict[str, int]:
    """Invented feedback and suggestions (some answered) and four finished quarters of pulse answers from
    the demo people. Idempotent: feedback is made once; a pulse answer is once per person and quarter anyway."""
    from django.contrib.auth.models import Permission

    from accounts.roles import user_roles_forget
    from intranet.feedback_selectors import org_today, quarter_bounds, quarter_of
    from intranet.feedback_services import feedback_give, pulse_answer, suggestion_answer
    from intranet.models import Feedback

    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@carlssoda.example")}
    moderator = User.objects.filter(email=FEEDBACK_MODERATOR).first()
    if moderator is None or "eli.employee" not in people:
        return {"feedback": 0, "pulse_answers": 0}
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_intranet", content_type__app_label="intranet")
    )
    user_roles_forget(moderator.pk)
    moderator = User.objects.get(pk=moderator.pk)
    today = org_today()
    made = 0
    if not Feedback.objects.filter(text=DEMO_FEEDBACK[0][2]).exists():
        for kind, topic, text, handle, says_department, days, answer in DEMO_FEEDBACK:
            giver = people.get(handle or "eli.employee")
            if giver is None:
                continue
            department = giver.departments.order_by("name").first() if says_department else None
            row, _ = feedback_give(
                author=giver, kind=kind, topic=topic, text=text, department=department, anonymous=handle is None
            )
            Feedback.objects.filter(pk=row.pk).update(created_on=today - timedelta(days=days))
            if answer:
                suggestion_answer(suggestion=row, by=moderator, answer=answer)
            made += 1
    answers = 0
    first_day = quarter_bounds(quarter_of(today))[0]
    quarters = []
    for _ in range(4):  # the four quarters before this one, oldest first
        first_day = quarter_bounds(quarter_of(first_day - timedelta(days=1)))[0]
        quarters.insert(0, first_day)
    for handle, scores in DEMO_PULSE.items():
        user = people.get(handle)
        if user is None:
            continue
        department = user.departments.order_by("name").first() if handle != "jonas.pr" else None
        for n, (quarter_start, score) in enumerate(zip(quarters, scores, strict=True)):
            comment = DEMO_PULSE_COMMENTS.get(handle, "") if n == len(quarters) - 1 else ""
            day = quarter_start + timedelta(days=20 + len(handle))
            answers += pulse_answer(user=user, score=score, comment=comment, department=department, today=day)
    return {"feedback": made, "pulse_answers": answers}
