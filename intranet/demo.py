"""Demo data for the intranet's people: profiles of the invented Carl's Soda employees. Idempotent."""

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
