"""Demo data for the ambassador program: invented members, invitations in every state, and what they did.

Every person is invented (names combined from short lists; `.example` addresses). Idempotent.
"""

import hashlib
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import DEMO_USERS_BY_HANDLE
from accounts.models import User
from accounts.services import user_create
from advocacy.badges import badges_earned
from advocacy.models import (
    Activity,
    BadgeAward,
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
from advocacy.selectors.recognition import ActivityTotals
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

CODE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

FIRST = ["Rosa", "Theo", "Mina", "Jonas", "Priya", "Malik", "Noor", "Felix", "Ines", "Tomas", "Lena", "Ravi"]
LAST = ["Quill", "Marsh", "Oakley", "Brandt", "Ferro", "Lund", "Castell", "Voss", "Abara", "Kerr"]
MEMBERS = 44  # invented, besides the demo ambassadors Amy and Cole
PAUSED, ALUMNI = 3, 4
SEED = 20260301  # the same demo every time


def _rng(part: str) -> random.Random:
    """A generator of its own for each part of the demo, so that no part's data depends on what
    another drew (or skipped, on a second run)."""
    return random.Random(f"{SEED}:{part}")


def _zeal(memberships) -> dict[int, float]:
    """How active each member is, long-tailed: a few members do a lot, most do a little.

    The demo ambassadors are keen (there is something to see when they sign in); everyone else
    draws from a Pareto distribution, in seat order, so the same member is as keen every run.
    """
    rng = _rng("zeal")
    keen = {DEMO_USERS_BY_HANDLE["amy.ambassador"].email: 6.0, DEMO_USERS_BY_HANDLE["cole.council"].email: 3.5}
    zeal = {}
    for membership in sorted(memberships, key=lambda m: m.pk):
        drawn = min(rng.paretovariate(1.2), 20.0)
        zeal[membership.pk] = keen.get(membership.user.email, drawn)
    return zeal


def _at(rng: random.Random, day: date) -> datetime:
    """A moment of `day` when people are awake (8:00 to 23:00), never in the future."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        minutes=rng.randint(8 * 60, 23 * 60 - 1), seconds=rng.randint(0, 59)
    )
    return min(moment, timezone.now() - timedelta(minutes=rng.randint(5, 90)))


def _people(count: int, start: int = 0):
    for n in range(start, start + count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        yield f"{first} {last}", f"{first}.{last}.{n}@fans.example".lower()


def _inviters() -> list[User]:
    """The demo's program managers: Ana (insights) sends most invitations, Ada (admin) some."""
    emails = [DEMO_USERS_BY_HANDLE[handle].email for handle in ("ana.insights", "ana.insights", "ada.admin")]
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def _invitation(
    email: str, name: str, status: str, days_ago: int, *, note: str = "", by=None, rng: random.Random
) -> Invitation:
    """An invitation as it was made `days_ago` (its created_at too, so lists read newest first)."""
    sent = timezone.now() - timedelta(days=days_ago, minutes=rng.randint(0, 600))
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
        responded_at=None if status in ("pending", "expired") else sent + timedelta(hours=rng.randint(1, 120)),
        decline_reason="Too busy this season" if status == "declined" else "",
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    invitation.created_at = sent
    return invitation


@transaction.atomic
def demo_program_seed() -> dict[str, int]:
    """The program's demo world: members, invitations, kits with clicks and orders, shares, stories, badges."""
    created = _members_and_invitations()
    _discovered_from_listening()
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
    rng = _rng("members")
    inviters = _inviters() or [None]
    invitations = []
    # People joined in waves over about a year: the earliest first, never two on the same day.
    sent_days = sorted(rng.sample(range(25, 420), len(ambassadors) + len(invented)), reverse=True)
    for n, user in enumerate(ambassadors + invented):
        by = inviters[rng.randrange(len(inviters))]
        invitation = _invitation(user.email, user.name, "accepted", days_ago=sent_days[n], by=by, rng=rng)
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
    for membership in members[: PAUSED + ALUMNI]:  # paused or gone some weeks ago, not today
        membership.refresh_from_db()
        when = membership.joined_at + (timezone.now() - membership.joined_at) * rng.uniform(0.5, 0.95)
        membership.events.exclude(kind=MembershipEvent.Kind.JOINED).update(at=when)
        if membership.left_at:
            Membership.objects.filter(pk=membership.pk).update(left_at=when)
    note = "We loved your posts about the cherry float."
    for status, count, days in [("pending", 9, (1, 13)), ("declined", 6, (10, 150)), ("expired", 5, (16, 120)),
                                ("revoked", 2, (4, 60))]:  # fmt: skip
        for name, email in _people(count, start=MEMBERS + len(invitations)):
            by = inviters[rng.randrange(len(inviters))]
            days_ago = rng.randint(*days)
            invitations.append(_invitation(email, name, status, days_ago, note=note, by=by, rng=rng))
    return {"ambassadors": len(ambassadors) + len(invented), "invitations": len(invitations)}


def _discovered_from_listening() -> None:
    """Advocate discovery's traces: Amy was found by listening (@amysipsfizz, one of insights.demo.FANS),
    and @rootbeer_rick has a pending invitation from the candidates page. Idempotent."""
    channels = {channel.slug: channel for channel in Channel.objects.filter(slug__in=["twitter", "reddit"])}
    amy = DEMO_USERS_BY_HANDLE["amy.ambassador"].email
    if "twitter" in channels:
        Invitation.objects.filter(email=amy, status=Invitation.Status.ACCEPTED).update(
            source=Invitation.Source.DISCOVERY, discovered_channel=channels["twitter"], discovered_handle="@amysipsfizz"
        )
    if "reddit" in channels and not Invitation.objects.filter(discovered_handle="@rootbeer_rick").exists():
        rick = _invitation(
            "rick.rootes@fans.example",
            "Rick Rootes",
            "pending",
            days_ago=2,
            note="Your root beer float threads on Reddit made our week.",
            by=(_inviters() or [None])[0],
            rng=_rng("discovery"),
        )
        Invitation.objects.filter(pk=rick.pk).update(
            source=Invitation.Source.DISCOVERY,
            discovered_channel=channels["reddit"],
            discovered_handle="@rootbeer_rick",
        )


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
    if not ReferralClick.objects.filter(link__in=links).exists():
        created["clicks"] = _demo_clicks(links, _zeal(memberships), list(channels.values()), today)
    created["conversions"] = _demo_conversions(links, today)
    return created


def _demo_clicks(links: list[ReferralLink], zeal: dict[int, float], channels: list[Channel], today: date) -> int:
    """DEMO_CLICKS clicks, more on keen members' links and on livelier kits, most soon after a kit opens."""
    rng = _rng("clicks")
    appeal = {kit_id: rng.uniform(0.4, 1.6) for kit_id in sorted({link.kit_id for link in links})}
    weights = [zeal[link.membership_id] * appeal[link.kit_id] for link in links]
    for n, link in enumerate(rng.choices(links, weights=weights, k=DEMO_CLICKS)):
        first = max(link.kit.starts_on, today - timedelta(days=89))
        span = max((min(link.kit.ends_on, today) - first).days, 0)
        day = first + timedelta(days=min(int(rng.expovariate(3 / (span + 1))), span))  # a launch, then a tail
        at = _at(rng, day)
        click = ReferralClick.objects.create(
            link=link,
            day=timezone.localdate(at),
            visitor_hash=hashlib.sha256(f"demo-visitor-{n}".encode()).hexdigest(),
            channel=rng.choice(channels) if channels and rng.random() < 0.8 else None,
            at=at,
        )
        activity_record(
            membership=link.membership, kind=Activity.Kind.CLICK, key=f"click:{click.pk}", at=at,
            kit=link.kit, channel=click.channel,
        )  # fmt: skip
    return DEMO_CLICKS


def _demo_conversions(links: list[ReferralLink], today: date) -> int:
    """About one click in ten becomes an order, some customers come back, one ambassador buys from themself."""
    rng = _rng("conversions")
    known = set(Conversion.objects.filter(order_id__startswith=DEMO_ORDER_PREFIX).values_list("order_id", flat=True))
    clicks = list(ReferralClick.objects.filter(link__in=links).select_related("link").order_by("pk"))
    orders = [
        (click.link, f"customer-{1000 + n}", "", click.at + timedelta(minutes=rng.randint(3, 36 * 60)))
        for n, click in enumerate(rng.sample(clicks, min(len(clicks), 34)))
    ]
    # A few customers come back weeks later: returning customers.
    for link, customer, _, at in rng.sample(orders, min(len(orders), 3)):
        orders.append((link, customer, "", at + timedelta(days=rng.randint(12, 45), hours=rng.randint(0, 9))))
    # One ambassador buys through their own link: held as a self-referral.
    orders.append((links[0], "customer-self", links[0].membership.user.email, _at(rng, today - timedelta(days=2))))
    made = 0
    for n, (link, customer, email, at) in enumerate(sorted(orders, key=lambda order: order[3])):
        order_id = f"{DEMO_ORDER_PREFIX}{n + 1:04d}"
        if order_id in known:
            continue
        price = rng.choice(["2.49", "3.99", "12.99", "18.50", "24.00", "36.75"])
        conversion_record(
            code=link.code,
            order_id=order_id,
            customer_ref=customer,
            customer_email=email,
            amount=Decimal(price) * rng.choice([1, 1, 1, 2, 2, 3, 4, 6]),
            currency="USD",
            ordered_at=min(at, timezone.now() - timedelta(minutes=1)),
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


def _post_url(rng: random.Random, network: str, handle: str) -> str:
    """An invented address of a post on a network, shaped as that network shapes them."""
    post_id = rng.randrange(10**17, 10**18)
    if network == "instagram":
        return f"https://www.instagram.com/p/{''.join(rng.choices(CODE_CHARACTERS, k=11))}/"
    if network == "facebook":
        return f"https://www.facebook.com/{handle}/posts/{post_id}"
    return f"https://x.com/{handle}/status/{post_id}"


def demo_recognition_seed(memberships) -> None:
    """Invented shares, reviews, stories (some published), badges and two shout-outs for these members.

    Keen members share a lot, most a little, over the last three months; stories and shout-outs
    are dated in the past, and badges when they were earned. Idempotent: shares and reviews are
    keyed by their (invented) URL, stories by author and title, shout-outs by message, badges by
    rule; a second run adds nothing and changes nothing.
    """
    memberships = sorted((m for m in memberships if m.status == Membership.Status.ACTIVE), key=lambda m: m.pk)
    if not memberships:
        return
    rng = _rng("recognition")
    zeal = _zeal(memberships)
    networks = {c.slug: c for c in Channel.objects.filter(slug__in=["twitter", "instagram", "facebook"])}
    review_sites = Channel.objects.filter(slug="review-site").first()
    kits = list(Kit.objects.order_by("starts_on", "pk"))
    now = timezone.now()
    for member in memberships:
        handle = f"{slugify(member.user.name).replace('-', '')}{member.pk}"
        since = min((now - member.joined_at).days, 89)
        for _ in range(max(int(zeal[member.pk] * rng.uniform(0.6, 1.8)) - 1, 0)):
            network = rng.choice(sorted(networks)) if networks else "twitter"
            url = _post_url(rng, network, handle)
            at = _at(rng, timezone.localdate(now - timedelta(days=rng.uniform(0, since))))
            open_kits = [kit for kit in kits if kit.starts_on <= timezone.localdate(at) <= kit.ends_on]
            kit = rng.choice(open_kits) if open_kits and rng.random() < 0.7 else None
            activity_record(membership=member, kind=Activity.Kind.SHARE, key=post_url_key(url), url=url,
                            channel=networks.get(network), kit=kit, at=at)  # fmt: skip
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2, 3]) if zeal[member.pk] < 3 else rng.randint(1, 6)):
            url = f"https://reviews.example/carls-soda/review-{rng.randrange(10**6, 10**7)}"
            at = _at(rng, timezone.localdate(now - timedelta(days=rng.uniform(0, since))))
            activity_record(membership=member, kind=Activity.Kind.REVIEW, key=post_url_key(url), url=url,
                            channel=review_sites, at=at)  # fmt: skip
    _demo_stories(memberships, sorted(memberships, key=lambda m: -zeal[m.pk]), rng)
    for index, message in enumerate(DEMO_SHOUT_OUTS):
        shout_out, made = ShoutOut.objects.get_or_create(
            message=message, defaults={"membership": None if index == 0 else memberships[0]}
        )
        if made:
            ShoutOut.objects.filter(pk=shout_out.pk).update(at=now - timedelta(days=(4, 23)[index % 2], hours=5))
    _badges_dated(memberships)


def _demo_stories(memberships, keenest, rng: random.Random) -> None:
    """The demo stories, by keen members, submitted and reviewed over the last weeks (never today)."""
    now = timezone.now()
    for index, (kind, title, body, fate) in enumerate(DEMO_STORIES):
        author = keenest[index % len(keenest)]
        if Story.objects.filter(membership__in=memberships, title=title).exists():
            continue
        story = story_submit(membership=author, kind=kind, title=title, body=body)
        submitted = now - timedelta(
            days=rng.randint(3, 70) if fate != "submit" else rng.randint(1, 4), hours=rng.randint(1, 12)
        )
        reviewed = min(submitted + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8)), now - timedelta(days=1))
        if fate == "publish":
            story_publish(story=story)
            Activity.objects.filter(membership=author, kind=Activity.Kind.STORY, key=f"story:{story.pk}").update(
                at=reviewed
            )
        elif fate == "decline":
            story_decline(story=story, note="Lovely idea: send it again with the photos and we will publish it.")
        Story.objects.filter(pk=story.pk).update(
            submitted_at=submitted, published_at=reviewed if fate == "publish" else None
        )


def _badges_dated(memberships) -> None:
    """Date each demo badge when it was earned: the member's ledger replayed in time order."""
    awards = {(a.membership_id, a.badge): a for a in BadgeAward.objects.filter(membership__in=memberships)}
    ledger = (
        Activity.objects.filter(membership__in=memberships, held=False)
        .order_by("membership", "at", "pk")
        .values_list("membership_id", "kind", "points", "at")
    )
    totals: dict[int, ActivityTotals] = {}
    counted = {Activity.Kind.SHARE: "shares", Activity.Kind.REVIEW: "reviews", Activity.Kind.STORY: "stories",
               Activity.Kind.CLICK: "clicks", Activity.Kind.CONVERSION: "conversions"}  # fmt: skip
    for member, kind, points, at in ledger:
        these = totals.setdefault(member, ActivityTotals())
        setattr(these, counted[kind], getattr(these, counted[kind]) + 1)
        these.points += points
        for rule in badges_earned(these):
            award = awards.pop((member, rule.slug), None)
            if award is not None and award.awarded_at != at:
                BadgeAward.objects.filter(pk=award.pk).update(awarded_at=at)
