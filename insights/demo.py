"""Carl's Soda's invented listening data: terms, and mentions with a few visible spikes.

Every author, handle and post here is made up. The generator is seeded, so
the same call gives the same mentions (and `external_id`s) every time.
"""

import math
import random
from datetime import UTC, datetime, timedelta

DEMO_SOURCE = "demo"

TERMS = [
    ("Carl's Soda", "brand", '"carl\'s soda" OR "carls soda" OR @carlssoda OR #carlssoda -"carl\'s jr"'),
    ("Cherry Fizz", "product", '"cherry fizz" OR #cherryfizz'),
    ("Root Beer Classic", "product", '"root beer classic" OR "carl\'s root beer" OR #carlsrootbeer'),
    ("Zero Lime", "product", '"zero lime" OR #zerolime'),
    ("Ginger Kick", "product", '"ginger kick" OR #gingerkick'),
    ("Bubbleton Cola", "competitor", "bubbleton OR @bubbletoncola OR #bubbleton"),
    ("FizzCo", "competitor", "fizzco OR @fizzco"),
    ("Nordic Springs", "competitor", '"nordic springs" OR #nordicsprings'),
]

DEMO_FEEDS = [
    ("Fizz Weekly (blog)", "https://fizzweekly.example/feed.xml", "blog"),
    ("Beverage Trade News", "https://beveragetrade.example/rss", "news"),
]

PRODUCTS = ["Cherry Fizz", "Root Beer Classic", "Zero Lime", "Ginger Kick"]
COMPETITORS = ["Bubbleton", "FizzCo", "Nordic Springs"]

POSITIVE = [
    "Just tried {p} from Carl's Soda and wow, it's amazing!",
    "{p} is my favourite drink this summer. Great taste, love it #carlssoda",
    "Carl's Soda {p} beats {c} every time. So good!",
    "Honestly the best root beer I've had in years. Carl's Soda, you nailed it.",
    "Shout-out to the @carlssoda team at the county fair, lovely people and free {p}!",
    "My kids love {p}. Happy to find it at the corner store again :)",
    "Carl's Soda customer service sorted my order in minutes. Impressed!",
]
NEUTRAL = [
    "Does anyone know where to buy Carl's Soda {p} in Ohio?",
    "Carl's Soda is launching {p} in a 12-pack next month.",
    "Comparing {p} and {c} for a blind taste test tonight.",
    "Picked up some Carl's Soda {p} at the store today.",
    "Is {p} from Carl's Soda caffeine free?",
]
NEGATIVE = [
    "{p} from Carl's Soda tastes flat lately. Disappointed.",
    "The new Carl's Soda can design is ugly and hard to open. Bring back the old one!",
    "Carl's Soda raised prices again? Switching to {c}.",
    "Terrible experience: my {p} case arrived with two broken bottles. #carlssoda",
    "Why is {p} always sold out? Annoying.",
]
COMPETITOR_ONLY = [
    "{c} has a new flavour out, pretty good actually.",
    "Not a fan of the new {c} ad campaign.",
    "{c} is everywhere at the stadium this season.",
]
OTHER_LANGUAGE = [
    ("es", "¡Me encanta Carl's Soda {p}! Muy refrescante."),
    ("pt", "Carl's Soda {p} é muito bom, recomendo."),
    ("fr", "Carl's Soda {p} est trop sucré à mon goût."),
]
OFFLINE_NOTES = [
    ("call-centre", "Caller asked whether Carl's Soda {p} contains gluten; answered and sent the ingredients list."),
    ("call-centre", "Customer upset that Carl's Soda {p} bottles leaked in the delivery. Refund issued."),
    ("event", "Sampling booth: visitors loved Carl's Soda {p}, several asked where to buy it."),
    ("store-visit", "Store manager says Carl's Soda {p} sells out every weekend."),
    ("survey", "Survey answer: Carl's Soda is fine but {p} is too sweet for me."),
]
ONLINE_CHANNELS = [
    ("twitter", 30), ("instagram", 14), ("facebook", 12), ("reddit", 10), ("tiktok", 8), ("youtube", 5),
    ("review-site", 6), ("blog", 4), ("news", 3), ("forum", 4), ("linkedin", 2),
]  # fmt: skip

OFFLINE_CHANNELS = {channel for channel, _ in OFFLINE_NOTES}
CHANNELS = [(slug, slug.replace("-", " ").title(), "online") for slug, _ in ONLINE_CHANNELS] + [
    (slug, slug.replace("-", " ").title(), "offline") for slug in sorted(OFFLINE_CHANNELS)
]

FIRST_NAMES = ["Alex", "Sam", "Jordan", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Robin", "Avery", "Quinn"]
LAST_NAMES = ["Ferreira", "Okoro", "Lindgren", "Marsh", "Tanaka", "Duval", "Novak", "Reyes", "Hart", "Baker"]


SPIKE_DAYS_AGO = (19, 21)  # the can redesign backlash, which raises the demo's alerts


def _spike_weight(day_ago: int) -> tuple[float, float]:
    """(volume multiplier, share of negative) for a day: two visible spikes."""
    if SPIKE_DAYS_AGO[0] <= day_ago <= SPIKE_DAYS_AGO[1]:  # the can redesign backlash: the early-warning example
        return 6.0, 0.75
    if 118 <= day_ago <= 121:  # a summer campaign that people liked
        return 4.0, 0.08
    return 1.0, 0.22


def demo_mentions(count: int, *, now: datetime | None = None, days: int = 395, seed: int = 42) -> list[dict]:
    """`count` bulk-contract items spread over the last `days` days, with spikes."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    weights = [_spike_weight(d)[0] * (1 + 0.4 * (d < 120)) for d in range(days)]  # growing lately
    channels, channel_weights = zip(*ONLINE_CHANNELS, strict=True)
    items = []
    for n in range(count):
        day_ago = rng.choices(range(days), weights=weights)[0]
        negative_share = _spike_weight(day_ago)[1]
        published = now - timedelta(days=day_ago, seconds=rng.randrange(86_400))
        if published > now:
            published = now
        product, competitor = rng.choice(PRODUCTS), rng.choice(COMPETITORS)
        language, channel = "en", rng.choices(channels, weights=channel_weights)[0]
        roll = rng.random()
        if roll < 0.06:
            channel, template = rng.choice(OFFLINE_NOTES)
        elif roll < 0.09:
            language, template = rng.choice(OTHER_LANGUAGE)
        elif roll < 0.17:
            template = rng.choice(COMPETITOR_ONLY)
        elif SPIKE_DAYS_AGO[0] <= day_ago <= SPIKE_DAYS_AGO[1] and rng.random() < 0.6:
            template = NEGATIVE[1]  # everyone talks about the can
        else:
            mood = rng.random()
            pool = NEGATIVE if mood < negative_share else NEUTRAL if mood < negative_share + 0.25 else POSITIVE
            template = rng.choice(pool)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        handle = f"@{first.lower()}{last.lower()}{rng.randrange(10, 99)}"
        item = {
            "source": DEMO_SOURCE,
            "external_id": f"demo-{n:06d}",
            "channel": channel,
            "text": template.format(p=product, c=competitor),
            "published_at": published.isoformat(),
            "language": language,
            "author": {"handle": handle, "name": f"{first} {last}", "reach": int(rng.paretovariate(1.2) * 80)},
        }
        if channel not in OFFLINE_CHANNELS:
            item["url"] = f"https://{channel}.example/posts/{n}"
            item["engagement"] = {
                "likes": int(rng.expovariate(1 / 12)),
                "shares": int(rng.expovariate(1 / 3)),
                "comments": int(rng.expovariate(1 / 4)),
            }
        items.append(item)
    return items


# Fans who keep speaking well of the brand, whatever the demo's size: advocate discovery's clear candidates.
# (handle, name, channel, positive mentions, reach); every one invented.
FANS = [
    ("@fizzwhisperer", "Wren Whisper", "twitter", 12, 8400),
    ("@cherrycarla", "Carla Cherrington", "instagram", 8, 5200),
    ("@cherrycarla", "Carla Cherrington", "tiktok", 4, 12000),  # the same person on two channels, until merged
    ("@sodasommelier", "Sol Sommers", "youtube", 6, 25000),
    ("@rootbeer_rick", "Rick Rootes", "reddit", 6, 900),
    ("@amysipsfizz", "Amy Castillo", "twitter", 7, 3100),  # Amy, already an ambassador (advocacy.demo)
]


def demo_fan_mentions(*, now: datetime | None = None) -> list[dict]:
    """The FANS' positive mentions of the brand, spread over the last 60 days (external ids `demo-fan-…`)."""
    rng = random.Random("fans")
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    items = []
    for handle, name, channel, count, reach in FANS:
        for _ in range(count):
            n = len(items)
            items.append(
                {
                    "source": DEMO_SOURCE,
                    "external_id": f"demo-fan-{n:04d}",
                    "channel": channel,
                    "text": POSITIVE[n % len(POSITIVE)].format(p=rng.choice(PRODUCTS), c=rng.choice(COMPETITORS)),
                    "published_at": (
                        now - timedelta(days=rng.randint(0, 60), seconds=rng.randrange(86_400))
                    ).isoformat(),
                    "language": "en",
                    "url": f"https://{channel}.example/fans/{n}",
                    "author": {"handle": handle, "name": name, "reach": reach},
                    "engagement": {
                        "likes": rng.randint(5, 80),
                        "shares": rng.randint(0, 15),
                        "comments": rng.randint(0, 10),
                    },
                }
            )
    return items


def demo_insights_seed(*, mentions: int = 20_000) -> dict[str, int]:
    """Carl's Soda's tracked terms and `mentions` invented mentions, then a rollup rebuild.

    Idempotent: terms are kept by name, mentions by their demo external ids.
    """
    # Imported here: the generator above is also used outside Django (the benchmarks build their batches with it).
    from insights.models import Channel, Feed, Mention, TrackedTerm
    from insights.services.alerts import alerts_replay
    from insights.services.ingest import mentions_ingest
    from insights.services.rollups import rollups_refresh

    for slug, name, kind in CHANNELS:  # normally there from a migration; the demo needs them
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    terms = 0
    for name, kind, query in TERMS:
        _, created = TrackedTerm.objects.get_or_create(name=name, defaults={"kind": kind, "query": query})
        terms += created
    for name, url, channel in DEMO_FEEDS:
        # Paused: the demo has no internet to poll; staff resume them or register their own.
        Feed.objects.get_or_create(
            url=url, defaults={"name": name, "channel": Channel.objects.get(slug=channel), "is_active": False}
        )
    created = 0
    if not Mention.objects.filter(source=DEMO_SOURCE).exists():
        fans = demo_fan_mentions()  # part of the `mentions` asked for
        items = demo_mentions(max(mentions - len(fans), 0)) + fans
        for start in range(0, len(items), 5000):
            created += mentions_ingest(items[start : start + 5000], first_index=start).created
        rollups_refresh()
        # The alerts beat would have raised while these mentions came in: the can backlash of three weeks ago.
        now = datetime.now(UTC)
        alerts_replay(start=now - timedelta(days=SPIKE_DAYS_AGO[1] + 1), end=now)
        demo_triage_seed()
    return {"terms": terms, "mentions": created}


# (title, summary, recommended action, departments, priority, due in days (None: no date), the steps its
# departments took, a reply, a decline reason). Invented, like everything in the demo.
DEMO_FINDINGS = [
    ("Dented cans from the northern warehouse",
     "Since the carrier changed, customers in the north post photos of dented cans, most of them angry.",
     "Answer each post with a replacement offer and review the packing with the carrier.",
     ["customer-service", "product-design"], "high", 7, ["acknowledged", "in_progress"],
     "We answer every post within the day and meet the carrier on Thursday.", ""),
    ("Cherry Fizz tastes flatter than last year",
     "Reviews of Cherry Fizz mention a flat taste more often since spring.",
     "Compare this year's batches with last year's and tell fans what you find.",
     ["product-design"], "normal", 21, ["acknowledged"], "", ""),
    ("Bubbleton's summer campaign draws our fans",
     "Several of our most positive authors now share Bubbleton's summer contest.",
     "Plan a summer moment for Carl's Soda fans, with our ambassadors.",
     ["marketing"], "normal", 10, [], "", ""),
    ("A blogger asks about the recycled-can claim",
     "A popular drinks blog questions the 'fully recycled can' line on our labels.",
     "Answer the blog with the supplier's certificate before the story spreads.",
     ["pr"], "urgent", -1, [], "", ""),
    ("Call-centre waits over twenty minutes on Mondays",
     "Offline notes and posts agree: Monday mornings mean long waits on the phone.",
     "Add a second shift on Monday mornings.",
     ["customer-service"], "high", -10, ["acknowledged", "in_progress", "done"],
     "A second shift answers on Mondays from next week.", ""),
    ("Fans ask for a Zero Lime multipack",
     "Fans keep asking where to buy Zero Lime by the dozen.",
     "Consider a twelve-pack of Zero Lime.",
     ["marketing", "product-design"], "low", None, ["acknowledged", "declined"], "",
     "The bottling line cannot pack twelve this year; we will look again next spring."),
    ("Ginger Kick is hard to find online",
     "Mentions of Ginger Kick often ask which online shops stock it.",
     "List the online stockists on the website and in replies.",
     ["marketing"], "normal", -5, ["acknowledged"], "", ""),
]  # fmt: skip


def demo_findings_seed() -> dict[str, int]:
    """Findings in every status across the departments, written by Ana and acted on by each department's
    lead, with negative demo mentions as evidence and a chart of the brand. Idempotent (by demo key)."""
    from accounts.models import Department, User
    from insights.models import Finding, Mention, Sentiment, TrackedTerm
    from insights.selectors.findings import today
    from insights.services.findings import finding_create, finding_reply, finding_status_set

    ana = User.objects.filter(email="ana.insights@carlssoda.example").first()
    leads = dict(Department.objects.values_list("slug", "lead"))
    if ana is None or Finding.objects.filter(idempotency_key__startswith="demo:").exists():
        return {"findings": 0}
    brand = TrackedTerm.objects.filter(name="Carl's Soda").first()
    negative = list(
        Mention.objects.filter(source=DEMO_SOURCE, sentiment_label=Sentiment.NEGATIVE)
        .order_by("-author_reach")
        .values_list("pk", flat=True)[:21]
    )
    created, day = 0, today()
    for n, (title, summary, action, slugs, priority, due_in, steps, reply, reason) in enumerate(DEMO_FINDINGS):
        slugs = [slug for slug in slugs if slug in leads]
        if not slugs:
            continue
        finding, _ = finding_create(
            title=title,
            summary=summary,
            recommended_action=action,
            departments=slugs,
            priority=priority,
            due=None if due_in is None else day + timedelta(days=due_in),
            mentions=negative[n * 3 : n * 3 + 3],
            chart_term=brand,
            chart_start=day - timedelta(days=29) if brand else None,
            chart_end=day if brand else None,
            by=ana,
            idempotency_key=f"demo:{n}",
            notify_departments=False,
        )
        lead = User.objects.filter(pk=leads[slugs[0]]).first() or ana
        for step in steps:
            finding_status_set(finding=finding, status=step, by=lead, reason=reason if step == "declined" else "")
            if step == "acknowledged" and reply:
                finding_reply(finding=finding, text=reply, by=lead)
        created += 1
    return {"findings": created}


RECENT_DAYS = 2  # the team is still on the last two days: those stay open (and some are overdue)
TRIAGE_BATCH = 5000  # mentions per service call: under INSIGHTS_BULK_ACTION_MAX


def _response_minutes(rng: random.Random, target: int | None) -> float:
    """Minutes to a first answer: log-normal around half the channel's target (or two hours), some three times
    later: most answers land within the target, about one in six past it."""
    return (target or 240) * 0.5 * math.exp(rng.random() * 2.4 - 1.2) * (3 if rng.random() < 0.12 else 1)


def demo_triage_seed(*, seed: int = 7) -> dict[str, int]:
    """Triage as a team leaves it, through the workflow's services so that every mention has its thread (the demo
    analyst as the actor): older mentions that needed an answer mostly got one (most within their channel's target,
    some late), some were routed to each department, the rest needed nothing; the last days are still open, some
    assigned, some overdue."""
    from accounts.demo import DEMO_USERS_BY_HANDLE
    from accounts.models import Department, User
    from insights.models import Mention, Sentiment
    from insights.services import triage
    from insights.triage import high_reach, response_targets

    rng = random.Random(seed)
    analyst = User.objects.filter(email=DEMO_USERS_BY_HANDLE["ana.insights"].email).first()
    departments = list(Department.objects.order_by("slug"))
    targets, reach, now = response_targets(), high_reach(), datetime.now(UTC)
    plan: dict[str, list[int]] = {"assign": [], "respond": [], "no_action": []}
    routed: dict[int, list[int]] = {}
    respond_at: dict[int, datetime] = {}
    rows = Mention.objects.filter(source=DEMO_SOURCE, status=Mention.Status.NEW).values_list(
        "pk", "published_at", "channel_id", "sentiment_label", "is_question", "author_reach"
    )
    for pk, published, channel_id, label, question, author_reach in rows.order_by("pk").iterator():
        roll = rng.random()
        needs = label == Sentiment.NEGATIVE or question or author_reach >= reach
        if now - published < timedelta(days=RECENT_DAYS):
            step = "new" if roll < 0.6 else "assign" if roll < 0.85 else "respond"
        elif needs:
            step = "respond" if roll < 0.7 else "route" if roll < 0.82 else "no_action" if roll < 0.95 else "new"
        else:
            step = "no_action" if roll < 0.85 else "respond" if roll < 0.95 else "new"
        if step == "route":  # to each department in turn; a department answered some of them
            if departments:
                routed.setdefault(departments[sum(map(len, routed.values())) % len(departments)].pk, []).append(pk)
            step = "respond" if rng.random() < 0.4 else "new"
        if step == "respond":
            minutes = _response_minutes(rng, targets.get(channel_id))
            respond_at[pk] = min(now, published + timedelta(minutes=minutes))
            if rng.random() < 0.5:
                plan["assign"].append(pk)
        if step != "new":
            plan[step].append(pk)

    def batches(ids):
        return (ids[start : start + TRIAGE_BATCH] for start in range(0, len(ids), TRIAGE_BATCH))

    counts = dict.fromkeys(["assigned", "routed", "responded", "no_action"], 0)
    if analyst is not None:
        for ids in batches(plan["assign"]):
            counts["assigned"] += triage.mentions_assign(mentions=ids, assignee=analyst, by=analyst)
    by_pk = {d.pk: d for d in departments}
    for department_id, ids in routed.items():
        for chunk in batches(ids):
            counts["routed"] += triage.mentions_route(mentions=chunk, department=by_pk[department_id], by=analyst)
    for ids in batches(plan["respond"]):
        counts["responded"] += triage.mentions_respond(mentions=ids, by=analyst, at_of=lambda m: respond_at[m.pk])
    for ids in batches(plan["no_action"]):
        counts["no_action"] += triage.mentions_no_action(mentions=ids, by=analyst)
    return counts
