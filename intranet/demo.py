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


# --- Posts and groups (invented) ------------------------------------------------------------------------

POST_MODERATOR = "priya.pr"  # holds intranet.moderate_intranet in the demo (as the Customer Advisory Council will)

# slug-less name -> (description, creator, members)
DEMO_GROUPS = {
    "Cherry Fizz fans": (
        "Tasting notes, recipe trials and fan mail about our best seller.",
        "dario.design",
        ("eli.employee", "nora.marketing", "mei.design", "sam.service"),
    ),
    "Portland bottling plant": (
        "Shifts, line news and who brought doughnuts.",
        "mei.design",
        ("dario.design", "lena.service"),
    ),
    "Lunchtime runners": ("5 km along the river, Tuesdays and Thursdays at 12:15.", "theo.marketing", ("jonas.pr",)),
    "Green team": ("Fewer cans in the bin, more refills on the floor.", "lena.service", ("eli.employee", "priya.pr")),
}

# (author, group or None, text, days ago, pinned, comments [(author, text)], reactions [(handle, kind)])
DEMO_POSTS = [
    (
        "priya.pr",
        None,
        "**Welcome to the new intranet!** Post news, ask questions, start a group, and mention a colleague with "
        "@ and their address, like @eli.employee. Be kind: moderators hide what breaks the "
        "[house rules](https://intranet.carlssoda.example/rules).",
        30,
        True,
        [("eli.employee", "Found it. The ideas page is great too.")],
        [("eli.employee", "like"), ("nora.marketing", "celebrate"), ("sam.service", "like")],
    ),
    (
        "nora.marketing",
        None,
        "The spring campaign is live: *Taste the fizz, not the sugar*. Thanks @theo.marketing for the videos and "
        "@mei.design for the new can art.",
        9,
        False,
        [("theo.marketing", "The 15-second cut is doing best on social."), ("mei.design", "Thank you! 🎨")],
        [("theo.marketing", "celebrate"), ("mei.design", "celebrate"), ("priya.pr", "insightful")],
    ),
    (
        "sam.service",
        None,
        "Call centre numbers for last week:\n\n- 1,240 calls\n- 72 % about the new Lime Spark can\n- most "
        "asked: *where can I buy it?*\n\n@nora.marketing, a store finder on the can?",
        5,
        False,
        [("nora.marketing", "Good idea, let's talk on Monday."), ("lena.service", "The Spanish line asks the same.")],
        [("nora.marketing", "insightful"), ("dario.design", "like")],
    ),
    (
        "theo.marketing",
        None,
        "Hi all, I'm new in marketing (social media). Coffee this week? I know nothing about soda and everything "
        "about memes.",
        11,
        False,
        [("jonas.pr", "Welcome! I started a month ago, happy to show you around.")],
        [("jonas.pr", "like"), ("eli.employee", "support"), ("lena.service", "like")],
    ),
    (
        "dario.design",
        "Cherry Fizz fans",
        "Batch 14 of the sugar-free cherry trial is in the lab fridge. Tasters wanted, score sheets on the door.",
        3,
        False,
        [("eli.employee", "Tasted: sweeter than 13, less after-taste."), ("mei.design", "Can we try a lime twist?")],
        [("eli.employee", "like"), ("sam.service", "celebrate")],
    ),
    (
        "mei.design",
        "Portland bottling plant",
        "Line 3 is back after the filler upgrade: 18 % faster. Thank you to the night shift.",
        2,
        False,
        [("lena.service", "Great news for the backlog.")],
        [("dario.design", "celebrate")],
    ),
    (
        "theo.marketing",
        "Lunchtime runners",
        "Tuesday's run: 5.2 km, 6 runners, one goose chase. Thursday same place.",
        1,
        False,
        [],
        [("jonas.pr", "like")],
    ),
    (
        "lena.service",
        "Green team",
        "Refill stations: the pilot on floor 2 saved 410 cans in its first month. Floors 1 and 3 next?",
        4,
        False,
        [("priya.pr", "I'll put it in the sustainability report.")],
        [("eli.employee", "support"), ("priya.pr", "insightful")],
    ),
]


def demo_posts_seed() -> dict[str, int]:
    """Groups, posts, comments and reactions among the demo employees, a pinned welcome post and one report in
    the moderators' queue. Idempotent: does nothing when the demo groups exist already."""
    from django.contrib.auth.models import Permission

    from accounts.roles import user_roles_forget
    from intranet.models import Group, Post, PostComment
    from intranet.post_services import (
        comment_create,
        content_report,
        group_create,
        group_join,
        post_create,
        post_pin,
        post_react,
    )

    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@carlssoda.example")}
    moderator = people.get(POST_MODERATOR)
    first = next(iter(DEMO_GROUPS))
    if moderator is None or Group.objects.filter(name=first).exists():
        return {"groups": 0, "posts": 0}
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_intranet", content_type__app_label="intranet")
    )
    user_roles_forget(moderator.pk)
    moderator = User.objects.get(pk=moderator.pk)
    groups = {}
    for name, (description, creator, members) in DEMO_GROUPS.items():
        if creator not in people:
            continue
        groups[name], _ = group_create(name=name, description=description, by=people[creator])
        for handle in members:
            if handle in people:
                group_join(group=groups[name], user=people[handle])
    now, posts = timezone.now(), []
    for author, group, text, days, pinned, comments, reactions in DEMO_POSTS:
        if author not in people or (group and group not in groups):
            continue
        post, _ = post_create(author=people[author], text=text, group=groups.get(group))
        at = now - timedelta(days=days, hours=len(posts))
        Post.objects.filter(pk=post.pk).update(created_at=at)
        for minutes, (handle, comment) in enumerate(comments, start=1):
            if handle in people:
                made, _ = comment_create(post=post, author=people[handle], text=comment)
                PostComment.objects.filter(pk=made.pk).update(created_at=at + timedelta(minutes=20 * minutes))
        for handle, kind in reactions:
            if handle in people:
                post_react(post=post, user=people[handle], kind=kind)
        if pinned:
            post_pin(post=post, by=moderator)
        posts.append(post)
    if len(posts) > 3 and "jonas.pr" in people:
        content_report(item=posts[3], reporter=people["jonas.pr"], reason="Is meme talk fine in the company feed?")
    return {"groups": len(groups), "posts": len(posts)}


# The internal conversation of the half-year before this month: what employees said, in the company feed, about
# what customers said (the can, prices, broken bottles, flat batches, the fair) and about their own work (shifts,
# the coffee machine). The councils' published demo reports set it beside the mentions of those quarters.
DEMO_HISTORY_POSTS = [
    ("sam.service", "Call centre full again of customers who cannot open the new can: the tab is too stiff."),
    ("dario.design", "Design review: customers say the new can design is hard to open. Testing a wider tab."),
    ("lena.service", "Third store manager this week asking for the old can. The new can design is hard to open."),
    ("mei.design", "Should we bring back the old can for Cherry Fizz while we fix the tab on the new design?"),
    ("sam.service", "Heads-up: expect calls about the price rise on 12-packs; customers say they are switching."),
    ("nora.marketing", "Price increase FAQ is on the wiki. Customers keep asking why prices went up again."),
    ("theo.marketing", "Lost two grocery accounts to a competitor after the price rise. Worth a look at pricing."),
    ("lena.service", "Another case of Ginger Kick arrived broken at a customer: two broken bottles, again."),
    ("jonas.pr", "Shipping damage is up: broken bottles in glass cases of Cherry Fizz are our top complaint."),
    ("sam.service", "Can online orders ship in cans? Broken bottles in the case are the complaint I hear most."),
    ("mei.design", "Quality lab: one Cherry Fizz batch was under-carbonated; customers said it tastes flat."),
    ("dario.design", "Taste panel: Lime Spark tastes flat after two weeks on the shelf. Checking the caps."),
    ("sam.service", "Callers say their Cherry Fizz tastes flat lately. Could it be the new caps?"),
    ("priya.pr", "Great weekend at the county fair: free Cherry Fizz for everyone and lovely people to meet."),
    ("jonas.pr", "Photos from the county fair stand are in the PR folder. Thanks to everyone who helped."),
    ("theo.marketing", "New shift rota for the bottling line is up. Shift swap requests by Thursday please."),
    ("lena.service", "Could the shift rota come out two weeks ahead? Planning childcare around shifts is hard."),
    ("dario.design", "Shift swap for the bottling line: I can take Saturday's shift if someone takes my Monday."),
    ("eli.employee", "The coffee machine on the second floor is broken again. The kitchen kettle works."),
    ("mei.design", "Whoever fixed the office coffee machine: thank you, the coffee is good again."),
    ("nora.marketing", "New office coffee beans arrived, and oat milk for the coffee machine too."),
]


def demo_history_seed() -> dict[str, int]:
    """The demo's internal conversation of the two quarters before this one (company-feed posts, backdated).
    Idempotent: each post carries a fixed submit token, so running it again finds the posts made the first time."""
    import uuid

    from intranet.models import Post
    from intranet.post_services import post_create

    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@carlssoda.example")}
    now, made = timezone.now(), 0
    for copy in range(2):  # once in each of the two quarters before this one
        for index, (author, text) in enumerate(DEMO_HISTORY_POSTS):
            if author not in people:
                continue
            token = uuid.uuid5(uuid.NAMESPACE_URL, f"rapport-demo-history/{copy}/{index}")
            post, created = post_create(author=people[author], text=text, submit_token=token)
            if created:
                days = 75 + 90 * copy + (index * 5) % 60  # spread over each quarter, never in this month
                Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=days, hours=index))
                made += 1
    return {"history_posts": made}
