"""Demo data for the ambassador program: invented members, invitations in every state, and what they did.

Every person is invented (names combined from short lists; `.example` addresses). Idempotent.
"""

import hashlib
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from accounts.services import user_create
from advocacy.models import (
    Activity,
    Conversion,
    Invitation,
    Kit,
    Membership,
    MembershipEvent,
    ReferralClick,
    ReferralLink,
    ShoutOut,
    Story,
)
from advocacy.services.activities import activity_record
from advocacy.services.links import referral_links_ensure
from advocacy.services.membership import (
    membership_end,
    membership_pause,
    membership_seat,
    program_ensure,
    program_lock,
)
from advocacy.services.recognition import post_url_key, story_decline, story_publish, story_submit
from advocacy.services.referrals import (
    conversion_record,
    kit_asset_add,
    kit_save,
    suggested_post_add,
)
from insights.models import Channel

FIRST = ["Rosa", "Theo", "Mina", "Jonas", "Priya", "Malik", "Noor", "Felix", "Ines", "Tomas", "Lena", "Ravi"]
LAST = ["Quill", "Marsh", "Oakley", "Brandt", "Ferro", "Lund", "Castell", "Voss", "Abara", "Kerr"]
MEMBERS = 44  # invented, besides the demo ambassadors Amy and Cole
PAUSED, ALUMNI = 3, 4


def _people(count: int, start: int = 0):
    for n in range(start, start + count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        yield f"{first} {last}", f"{first}.{last}.{n}@fans.example".lower()


def _inviters() -> list[User]:
    """The demo's program managers: Ana (insights) sends most invitations, Ada (admin) some."""
    emails = [DEMO_USERS_BY_HANDLE[handle].email for handle in ("ana.insights", "ana.insights", "ada.admin")]
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def _invitation(email: str, name: str, status: str, days_ago: int, *, note: str = "", by=None) -> Invitation:
    """An invitation as it was made `days_ago` (its created_at too, so lists read newest first)."""
    sent = timezone.now() - timedelta(days=days_ago)
    invitation = Invitation.objects.create(
        program=program_ensure(),
        email=email,
        name=name,
        note=note,
        status=status,
        token_hash=hashlib.sha256(f"demo:{email}:{status}".encode()).hexdigest(),  # no link: the token is unknown
        invited_by=by,
        sent_at=sent,
        expires_at=sent + timedelta(days=14),
        responded_at=None if status in ("pending", "expired") else sent + timedelta(days=2),
        decline_reason="Too busy this season" if status == "declined" else "",
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    invitation.created_at = sent
    return invitation


@transaction.atomic
def demo_program_seed() -> dict[str, int]:
    """The program's demo world: members, invitations, kits with clicks and orders, shares, stories, badges."""
    created = _members_and_invitations()
    members = list(Membership.objects.select_related("user").order_by("pk"))
    referrals = demo_referrals_seed(members)
    demo_recognition_seed(members)
    return created | {f"referral_{name}": count for name, count in referrals.items()}


def _members_and_invitations() -> dict[str, int]:
    """Seat the demo ambassadors and invented members; invitations pending, declined, expired, revoked."""
    if Membership.objects.exists():
        return {"ambassadors": 0, "invitations": 0}
    program = program_lock()
    ambassadors = [User.objects.get(email=DEMO_USERS_BY_HANDLE[h].email) for h in ("amy.ambassador", "cole.council")]
    invented = []
    for name, email in _people(MEMBERS):
        invented.append(user_create(email=email, password=None, name=name, email_verified=True))
    inviters = _inviters() or [None]
    invitations = []
    for n, user in enumerate(ambassadors + invented):
        by = inviters[n % len(inviters)]
        invitation = _invitation(user.email, user.name, "accepted", days_ago=400 - n * 7, by=by)
        membership = membership_seat(program=program, user=user, invitation=invitation)
        joined = invitation.responded_at
        Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
        membership.events.update(at=joined)
        invitations.append(invitation)
    members = list(Membership.objects.filter(user__in=invented).order_by("pk"))
    for membership in members[:PAUSED]:
        membership_pause(membership=membership, reason="Taking a break for exams")
    for membership in members[PAUSED : PAUSED + ALUMNI]:
        membership_end(membership=membership, kind=MembershipEvent.Kind.LEFT, reason="Moved away")
    note = "We loved your posts about the cherry float."
    for status, count, days_ago in [("pending", 9, 3), ("declined", 6, 40), ("expired", 5, 60), ("revoked", 2, 20)]:
        for name, email in _people(count, start=MEMBERS + len(invitations)):
            by = inviters[len(invitations) % len(inviters)]
            invitations.append(_invitation(email, name, status, days_ago, note=note, by=by))
    return {"ambassadors": len(ambassadors) + len(invented), "invitations": len(invitations)}


# --- Kits, links, clicks and orders -----------------------------------------------------------------

DEMO_KITS = [
    {
        "campaign": "cherry-summer-launch",
        "title": "Cherry Summer launch",
        "message": "Carl's Cherry is back for the summer, colder and fizzier than ever. Share the launch page "
        "with friends who love a cherry soda.",
        "target_url": "https://shop.carlssoda.example/cherry-summer?ref=ambassadors",
        "days": (-75, 30),
        "posts": {
            "instagram": "Summer tastes like Carl's Cherry again 🍒 Grab a cold one: {link}",
            "twitter": "Carl's Cherry Summer is here. Ice, fizz, cherry. That's the tweet. {link}",
            "facebook": "My favourite soda is back for the season! Carl's Cherry Summer launch: {link}",
        },
        "assets": [("Launch banner (1200×628)", "https://media.carlssoda.example/kits/cherry-summer-banner.png")],
    },
    {
        "campaign": "zero-sugar-line",
        "title": "Zero Sugar line",
        "message": "Three Carl's classics, now with zero sugar and all the taste. Tell people what you think "
        "after trying them.",
        "target_url": "https://shop.carlssoda.example/zero",
        "days": (-88, 60),
        "posts": {
            "instagram": "Zero sugar, full Carl's flavour. My pick is the root beer. {link}",
            "reddit": "Tried Carl's new Zero Sugar line this week — honest thoughts in the comments. {link}",
        },
        "assets": [("Zero Sugar product sheet", "https://media.carlssoda.example/kits/zero-sugar-sheet.pdf")],
    },
    {
        "campaign": "riverside-store-event",
        "title": "Riverside store tasting day",
        "message": "Free tastings and a meet-the-makers afternoon at the Riverside store. Invite your neighbours.",
        "target_url": "https://www.carlssoda.example/events/riverside-tasting",
        "days": (-30, 3),
        "posts": {
            "facebook": "Carl's Soda tasting day at the Riverside store this weekend, free samples! {link}",
            "twitter": "Free Carl's Soda tastings at Riverside this weekend. See you there? {link}",
        },
        "assets": [],
    },
]
DEMO_CLICKS = 360
DEMO_ORDER_PREFIX = "DEMO-CS-"


@transaction.atomic
def demo_referrals_seed(memberships) -> dict[str, int]:
    """Carl's Soda's demo kits, links for `memberships`, ~360 clicks and ~36 conversions over 90 days.

    Idempotent: kits are found by campaign, links made once, clicks only for links that have none,
    and orders by their fixed ids. Invented data only. Returns counts of what was created.
    """
    memberships = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    today = timezone.localdate()
    channels = {c.slug: c for c in Channel.objects.filter(slug__in=["instagram", "twitter", "facebook", "reddit"])}
    created = {"kits": 0, "clicks": 0, "conversions": 0}
    kits = []
    for spec in DEMO_KITS:
        kit = Kit.objects.filter(campaign=spec["campaign"]).first()
        if kit is None:
            kit = kit_save(
                title=spec["title"],
                message=spec["message"],
                target_url=spec["target_url"],
                campaign=spec["campaign"],
                starts_on=today + timedelta(days=spec["days"][0]),
                ends_on=today + timedelta(days=spec["days"][1]),
            )
            for slug, text in spec["posts"].items():
                if slug in channels:
                    suggested_post_add(kit=kit, channel=channels[slug], text=text.replace(" {link}", ""))
            for label, url in spec["assets"]:
                kit_asset_add(kit=kit, label=label, url=url)
            created["kits"] += 1
        kits.append(kit)
    if not memberships:
        return created
    links = [link for m in memberships for link in referral_links_ensure(membership=m, kits=kits).values()]
    rng = random.Random(20260301)  # the same demo every time
    with_clicks = set(ReferralClick.objects.filter(link__in=links).values_list("link_id", flat=True).distinct())
    fresh = [link for link in links if link.pk not in with_clicks]
    channel_list = list(channels.values())
    for n in range(DEMO_CLICKS if fresh else 0):
        link = fresh[n % len(fresh)]
        first = max(link.kit.starts_on, today - timedelta(days=89))
        span = max((min(link.kit.ends_on, today) - first).days, 0)
        at = timezone.make_aware(
            datetime.combine(first + timedelta(days=rng.randint(0, span)), datetime.min.time())
        ) + timedelta(minutes=rng.randint(8 * 60, 22 * 60))
        at = min(at, timezone.now())
        click = ReferralClick.objects.create(
            link=link,
            day=timezone.localdate(at),
            visitor_hash=hashlib.sha256(f"demo-visitor-{n}".encode()).hexdigest(),
            channel=rng.choice(channel_list) if channel_list and rng.random() < 0.8 else None,
            at=at,
        )
        activity_record(
            membership=link.membership, kind=Activity.Kind.CLICK, key=f"click:{click.pk}", at=at,
            kit=link.kit, channel=click.channel,
        )  # fmt: skip
        created["clicks"] += 1
    created["conversions"] = _demo_conversions(links, rng, today)
    return created


def _demo_conversions(links: list[ReferralLink], rng: random.Random, today: date) -> int:
    known = set(Conversion.objects.filter(order_id__startswith=DEMO_ORDER_PREFIX).values_list("order_id", flat=True))
    orders = []
    for n in range(34):
        link = links[n % len(links)]
        first = max(link.kit.starts_on, today - timedelta(days=89))
        days = rng.randint(0, max((min(link.kit.ends_on, today) - first).days, 0))
        orders.append((link, f"customer-{1000 + n}", "", first + timedelta(days=days)))
    # Two customers come back a few weeks later: returning customers.
    for n, (link, customer, _, day) in enumerate(orders[:2]):
        orders.append((link, customer, "", min(day + timedelta(days=21 + n), today)))
    # One ambassador buys through their own link: held as a self-referral.
    orders.append((links[0], "customer-self", links[0].membership.user.email, today - timedelta(days=2)))
    made = 0
    for n, (link, customer, email, day) in enumerate(sorted(orders, key=lambda order: order[3])):
        order_id = f"{DEMO_ORDER_PREFIX}{n + 1:04d}"
        if order_id in known:
            continue
        ordered_at = min(timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=15),
                         timezone.now())  # fmt: skip
        conversion_record(
            code=link.code,
            order_id=order_id,
            customer_ref=customer,
            customer_email=email,
            amount=Decimal(rng.choice(["12.99", "18.50", "24.00", "36.75"])),
            currency="USD",
            ordered_at=ordered_at,
        )
        made += 1
    return made


# --- Shares, reviews, stories, shout-outs ---------------------------------------------------------------

DEMO_STORIES = [
    (
        Story.Kind.STORY,
        "How cherry soda saved our family reunion",
        "Forty cousins, one heatwave and a cooler full of Carl's cherry. Nobody talked about the weather after that.",
        "publish",
    ),
    (
        Story.Kind.GUEST_POST,
        "Five summer mocktails with Carl's Soda",
        "Lime, mint and a splash of Carl's ginger: my five favourite alcohol-free drinks for a long evening outside.",
        "publish",
    ),
    (
        Story.Kind.STORY,
        "Why I switched from the big brands",
        "Less sugar, real fruit, and a company that answers its email. Here is what changed my mind.",
        "submit",
    ),
    (
        Story.Kind.GUEST_POST,
        "My unboxing of the limited tin",
        "A photo essay of the collector's tin. (Draft: the photos are still missing.)",
        "decline",
    ),
]
DEMO_SHOUT_OUTS = [
    "Thank you all: referral traffic doubled this month. You are the best ambassadors a soda could have!",
    "A big thank-you for your cherry launch posts: they were the most shared of the season.",
]


def demo_recognition_seed(memberships) -> None:
    """Invented shares, reviews, stories (some published), badges and two shout-outs for these members.

    Idempotent: shares and reviews are keyed by their (invented) URL, stories by author and
    title, shout-outs by message, badges by rule; a second run adds nothing.
    """
    memberships = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    if not memberships:
        return
    channels = list(Channel.objects.filter(slug__in=["twitter", "instagram", "facebook"]).order_by("slug"))
    review_sites = Channel.objects.filter(slug="review-site").first()
    kit = Kit.objects.order_by("-starts_on").first()
    now = timezone.now()
    for index, member in enumerate(memberships):
        for n in range(max(1, 6 - index)):  # the first members are the busiest: a leaderboard with a shape
            activity_record(
                membership=member,
                kind=Activity.Kind.SHARE,
                key=post_url_key(f"https://social.example/ambassador-{member.pk}/posts/{n + 1}"),
                url=f"https://social.example/ambassador-{member.pk}/posts/{n + 1}",
                channel=channels[n % len(channels)] if channels else None,
                kit=kit,
                at=now - timedelta(days=n * 9),  # some this month, some before
            )
        for n in range(index % 3):
            url = f"https://reviews.example/carls-soda/review-{member.pk}-{n + 1}"
            activity_record(
                membership=member,
                kind=Activity.Kind.REVIEW,
                key=post_url_key(url),
                url=url,
                channel=review_sites,
                at=now - timedelta(days=3 + n * 20),
            )
    for index, (kind, title, body, fate) in enumerate(DEMO_STORIES):
        author = memberships[index % len(memberships)]
        story = Story.objects.filter(membership=author, title=title).first()
        if story is None:
            story = story_submit(membership=author, kind=kind, title=title, body=body)
        if story.status == Story.Status.SUBMITTED and fate == "publish":
            story_publish(story=story)
        elif story.status == Story.Status.SUBMITTED and fate == "decline":
            story_decline(story=story, note="Lovely idea: send it again with the photos and we will publish it.")
    for index, message in enumerate(DEMO_SHOUT_OUTS):
        ShoutOut.objects.get_or_create(message=message, defaults={"membership": None if index == 0 else memberships[0]})
