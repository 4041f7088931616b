"""Share kits, referral links, clicks and conversions, with the fraud controls that hold suspicious ones.

Privacy: a visitor is known only by a salted SHA-256 of their address; the salt is derived from
SECRET_KEY and the day, so hashes cannot be joined across days and no address is ever stored.
Customer emails and shop visitor ids are kept only as keyed hashes (to spot self-referrals and
repeats), never in clear.

What a link does, by state (the issue left it open; decided here):
- kit running and member active: redirect to the kit's target with UTM parameters, count the click;
- kit running, member paused or alumni: redirect to the target without `utm_content`, count nothing
  (a paused member earns nothing new, and a former member's code should attribute no orders);
- kit ended or not started: redirect to ADVOCACY_FALLBACK_URL (the target page may be gone), count nothing;
- unknown code: redirect to ADVOCACY_FALLBACK_URL too (the brand's site, not a page of Rapport's).
Bots (known user-agent patterns, an empty user agent, HEAD requests) are redirected but never counted.

Click farming: a visitor is their address, whatever user agent they send, so one address counts
once per link a day. One address on more than ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY links of
one member in a day, or a code over ADVOCACY_CLICK_FLOOD_PER_HOUR counted clicks in the last hour,
gets its clicks held for review. And a member earns at most ADVOCACY_CLICK_POINTS_PER_DAY points
from clicks a day (held ones included), whatever the number of addresses.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from advocacy.models import (
    COUNTED_REVIEWS,
    Activity,
    ClickTally,
    Conversion,
    Kit,
    KitAsset,
    Membership,
    ReferralClick,
    ReferralLink,
    SuggestedPost,
)
from advocacy.services.activities import activity_record, activity_release, badges_award, click_points
from advocacy.services.links import referral_links_for_kit
from advocacy.services.membership import program_ensure
from core.exceptions import ApplicationError
from insights.models import Channel

ASSET_MAX_BYTES = 20 * 2**20
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")

# Link-preview fetchers, crawlers, monitors and scripts: they follow links but are not people.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|whatsapp|telegram|skype|"
    r"discord|slack|vkshare|pinterest|headlesschrome|phantomjs|lighthouse|pingdom|uptime|monitor|"
    r"curl|wget|python|httpx|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|node-fetch|axios|"
    r"feedfetcher|validator",
    re.IGNORECASE,
)


class KitError(ApplicationError):
    code = "kit"


class UnknownReferralCode(ApplicationError):
    code = "unknown_referral_code"

    def __init__(self, code: str):
        super().__init__(
            "No referral link has this code.", extra={"code": [f"No referral link has the code {code[:20]!r}."]}
        )


class ConversionConflict(ApplicationError):
    status_code = 409
    code = "conflict"


class ReviewError(ApplicationError):
    code = "review"


# --- Kits --------------------------------------------------------------------


def _kit_clean(*, title, message, target_url, campaign, starts_on, ends_on) -> dict:
    fields = {
        "title": (title or "").strip(),
        "message": (message or "").strip(),
        "target_url": (target_url or "").strip(),
        "campaign": (campaign or "").strip().lower(),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": f"The kit ends before it starts: pick an end on or after {starts_on:%-d %B %Y}."}
        )
    return fields


@transaction.atomic
def kit_save(
    *, kit: Kit | None = None, title: str, message: str, target_url: str, campaign: str, starts_on, ends_on, by=None
) -> Kit:
    """Create a share kit (`kit` None) or change one, with a link for each seat holder.

    An end before the start is refused, nothing saved.
    """
    fields = _kit_clean(
        title=title, message=message, target_url=target_url, campaign=campaign, starts_on=starts_on, ends_on=ends_on
    )
    if kit is None:
        kit = Kit(program=program_ensure(), created_by=by, **fields)
    else:
        kit = Kit.objects.select_for_update().get(pk=kit.pk)
        for name, value in fields.items():
            setattr(kit, name, value)
    if urlsplit(kit.target_url).scheme not in ("http", "https"):
        raise ValidationError({"target_url": "Enter an http or https address."})
    kit.full_clean(exclude=["program", "created_by"])
    kit.save()
    referral_links_for_kit(kit=kit)  # every seat holder's link, so that pages only read them
    return kit


@transaction.atomic
def kit_archive(*, kit: Kit, by) -> Kit:
    """Archive a kit: ambassadors no longer see it and its links lead to ADVOCACY_FALLBACK_URL, like an ended
    kit's; its links, clicks, conversions and points stay, and the reports still count them. Archiving an
    archived kit changes nothing."""
    locked = Kit.objects.select_for_update().get(pk=kit.pk)
    if locked.archived_at is None:
        locked.archived_at, locked.archived_by = timezone.now(), by
        locked.save(update_fields=["archived_at", "archived_by"])
    return locked


@transaction.atomic
def kit_unarchive(*, kit: Kit, by) -> Kit:
    """Bring an archived kit back: shown to ambassadors again while it runs, its links work again, and seat
    holders who joined meanwhile get theirs. `by` is the manager who asked."""
    locked = Kit.objects.select_for_update().get(pk=kit.pk)
    if locked.archived_at is not None:
        locked.archived_at, locked.archived_by = None, None
        locked.save(update_fields=["archived_at", "archived_by"])
        referral_links_for_kit(kit=locked)
    return locked


@transaction.atomic
def kit_asset_add(*, kit: Kit, label: str, url: str = "", file: UploadedFile | None = None) -> KitAsset:
    """Attach a link or an uploaded file (not both) to a kit."""
    label, url = (label or "").strip(), (url or "").strip()
    if bool(url) == bool(file):
        raise ValidationError({"url": "Give either a link or a file, not both and not neither."})
    if file is not None and file.size > ASSET_MAX_BYTES:
        raise ValidationError({"file": f"Keep files under {ASSET_MAX_BYTES // 2**20} MB."})
    asset = KitAsset(kit=kit, label=label, url=url)
    if file is not None:
        asset.file = file
    asset.full_clean(exclude=["kit"])
    asset.save()
    return asset


@transaction.atomic
def kit_asset_delete(*, asset: KitAsset) -> None:
    if asset.file:
        asset.file.delete(save=False)
    asset.delete()


@transaction.atomic
def suggested_post_add(*, kit: Kit, channel: Channel, text: str) -> SuggestedPost:
    """A post ambassadors can copy as is, for one channel."""
    post = SuggestedPost(kit=kit, channel=channel, text=(text or "").strip())
    post.full_clean(exclude=["kit", "channel"])
    post.save()
    return post


@transaction.atomic
def suggested_post_delete(*, post: SuggestedPost) -> None:
    post.delete()


# --- Links ---------------------------------------------------------------------


def referral_link_url(target_url: str, *, campaign: str, code: str | None) -> str:
    """The target with our UTM parameters; its own query parameters kept (ours replace same-named ones)."""
    parts = urlsplit(target_url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in UTM_KEYS]
    query += [("utm_source", "ambassador"), ("utm_medium", "referral"), ("utm_campaign", campaign)]
    if code:
        query.append(("utm_content", code))
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- Clicks --------------------------------------------------------------------


@lru_cache(maxsize=4)
def _day_salt(day: date) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"referral-visitor:{day.isoformat()}".encode(), "sha256").digest()


def visitor_hash(*, address: str, day: date) -> str:
    """Who a visitor is, for one day only: SHA-256 of a daily salt and the address.

    Not the user agent: anyone can send a new one with every request, and rotating it from one
    address must not make new visitors. People behind one address (an office) count as one.
    """
    return hashlib.sha256(_day_salt(day) + f"\0{address}".encode()).hexdigest()


def is_bot(*, user_agent: str, method: str = "GET") -> bool:
    """HEAD requests, an empty user agent and known crawlers or link previews are not people."""
    return method == "HEAD" or not user_agent.strip() or BOT_USER_AGENT.search(user_agent) is not None


@dataclass(frozen=True)
class Referral:
    """Where a click goes, and the click row when it was counted."""

    location: str
    click_id: int | None = None
    flagged: bool = False


def referral_link_for_code(code: str) -> ReferralLink | None:
    """The link with what the redirect reads of its kit and membership, in one query; None for an unknown code."""
    if not code or len(code) > 16:  # (a NUL never gets here: core.middleware refuses it before any view)
        return None
    fields = [
        "code",
        "kit__target_url",
        "kit__campaign",
        "kit__starts_on",
        "kit__ends_on",
        "kit__archived_at",
        "membership__status",
    ]
    return ReferralLink.objects.select_related("kit", "membership").only(*fields).filter(code=code).first()


def referral_follow(
    *, link: ReferralLink, address: str, user_agent: str, channel_slug: str = "", method: str = "GET", now=None
) -> Referral:
    """Decide where `/r/<code>` goes and count the click when it should (see the module's docstring).

    A counted click is one INSERT … ON CONFLICT DO NOTHING (once per visitor, link and day) that also
    looks up the channel and the flood state, then the click's activity in the same transaction.
    Nothing is written when the click is not counted.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    kit, membership = link.kit, link.membership
    if kit.archived_at is not None or not (kit.starts_on <= today <= kit.ends_on):
        return Referral(settings.ADVOCACY_FALLBACK_URL)
    active = membership.status == Membership.Status.ACTIVE
    location = referral_link_url(kit.target_url, campaign=kit.campaign, code=link.code if active else None)
    if not active or is_bot(user_agent=user_agent, method=method):
        return Referral(location)
    visitor = visitor_hash(address=address, day=today)
    channel_slug = channel_slug[:50]
    row = _click_insert(link=link, day=today, visitor=visitor, channel_slug=channel_slug, at=now)
    if row is None:  # this visitor was counted today already
        return Referral(location)
    click_id, flagged = row
    return Referral(location, click_id, flagged)


def _click_insert(*, link: ReferralLink, day: date, visitor: str, channel_slug: str, at: datetime):
    """One statement for the hot path: the click (unless this visitor was counted today already),
    the member's click tally for the day, and the click's points.

    The click is flagged when the code's last hour is over the flood limit, or when this address
    was counted on ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY other links of the member today. Its
    ledger row is what `activity_record` would write for an active member: the click's points
    (`click_points` of the day's tally, so capped per day), held when flagged. Badges that clicks
    complete (points thresholds) follow in `badges_refresh`.
    Returns (click id, flagged), or None when the visitor was counted today already.
    """
    clicks, links, channels = ReferralClick._meta.db_table, ReferralLink._meta.db_table, Channel._meta.db_table
    ledger, tallies = Activity._meta.db_table, ClickTally._meta.db_table
    click = (  # table names are ours; every value is a parameter
        f"INSERT INTO {clicks} (link_id, day, visitor_hash, channel_id, at, flagged)"
        f" VALUES (%(link)s, %(day)s, %(visitor)s, (SELECT id FROM {channels} WHERE slug = %(channel)s), %(at)s,"
        f"  (SELECT COUNT(*) FROM (SELECT 1 FROM {clicks} WHERE link_id = %(link)s AND at > %(hour_ago)s"
        f"   LIMIT %(flood)s) recent) >= %(flood)s"
        f"  OR (SELECT COUNT(*) FROM (SELECT 1 FROM {clicks} WHERE day = %(day)s AND visitor_hash = %(visitor)s"
        f"   AND link_id IN (SELECT id FROM {links} WHERE membership_id = %(member)s) LIMIT %(links)s) mine)"
        f"   >= %(links)s)"
        f" ON CONFLICT (link_id, day, visitor_hash) DO NOTHING RETURNING id, flagged, channel_id"
    )
    tally = (
        f"INSERT INTO {tallies} AS tally (membership_id, day, clicks) SELECT %(member)s, %(day)s, 1 FROM click"
        f" WHERE true ON CONFLICT (membership_id, day) DO UPDATE SET clicks = tally.clicks + 1 RETURNING clicks"
    )
    points = (  # click_points(), in SQL
        f"INSERT INTO {ledger} (membership_id, kind, key, kit_id, channel_id, url, points, held, at)"
        f" SELECT %(member)s, 'click', 'click:' || id, %(kit)s, channel_id, '',"
        f"  LEAST(%(points)s, GREATEST(0, %(cap)s - (tally.clicks - 1) * %(points)s)), flagged, %(at)s"
        f" FROM click, tally"
    )
    ops = connection.ops
    params = {
        "link": link.pk,
        "day": ops.adapt_datefield_value(day),
        "visitor": visitor,
        "channel": channel_slug or None,
        "at": ops.adapt_datetimefield_value(at),
        "hour_ago": ops.adapt_datetimefield_value(at - timedelta(hours=1)),
        "flood": settings.ADVOCACY_CLICK_FLOOD_PER_HOUR,
        "links": settings.ADVOCACY_CLICK_LINKS_PER_ADDRESS_PER_DAY,
        "member": link.membership_id,
        "kit": link.kit_id,
        "points": settings.ADVOCACY_POINTS[Activity.Kind.CLICK],
        "cap": settings.ADVOCACY_CLICK_POINTS_PER_DAY,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one round trip
            cursor.execute(
                f"WITH click AS ({click}), tally AS ({tally}), points AS ({points}) SELECT id, flagged FROM click",
                params,
            )
            row = cursor.fetchone()
        else:  # SQLite (embedded mode) cannot write inside WITH: the same three inserts, one after the other
            cursor.execute(click, params)
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(f"WITH click(id) AS (SELECT %(id)s) {tally}", params | {"id": row[0]})
                params |= {"id": row[0], "flagged": row[1], "ch": row[2], "clicks": cursor.fetchone()[0]}
                cursor.execute(
                    f"INSERT INTO {ledger} (membership_id, kind, key, kit_id, channel_id, url, points, held, at)"
                    " VALUES (%(member)s, 'click', 'click:' || %(id)s, %(kit)s, %(ch)s, '', %(earned)s, %(flagged)s,"
                    " %(at)s)",
                    params | {"earned": click_points(params["clicks"])},
                )
    return None if row is None else (row[0], bool(row[1]))


# --- Conversions ---------------------------------------------------------------


def _keyed_hash(purpose: str, value: str) -> str:
    """A keyed SHA-256 (HMAC): stable across days, useless to anyone without SECRET_KEY."""
    value = (value or "").strip()
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), "sha256").hexdigest()


def email_hash(email: str) -> str:
    return _keyed_hash("email", (email or "").strip().lower())


@dataclass(frozen=True)
class ConversionResult:
    conversion: Conversion
    created: bool  # False: a replay of an order already recorded


def conversion_record(
    *,
    code: str,
    order_id: str,
    customer_ref: str,
    customer_email: str = "",
    visitor_id: str = "",
    amount: Decimal | None = None,
    currency: str = "",
    ordered_at: datetime | None = None,
    channel: str = "",
) -> ConversionResult:
    """Record an order that came through a referral code; idempotent on `order_id`.

    A replay with the same data returns the stored conversion (created=False); the same order id
    with different data raises ConversionConflict. Fraud controls hold the conversion (and its
    points) for review: the customer is the ambassador (self_referral), or one customer or one
    visitor ordered more than ADVOCACY_ORDERS_PER_CUSTOMER_PER_DAY times in 24 hours.
    """
    order_id, customer_ref = (order_id or "").strip(), (customer_ref or "").strip()
    if not order_id:
        raise ValidationError({"order_id": "Give the order id."})
    if not customer_ref:
        raise ValidationError({"customer_ref": "Give the customer reference."})
    link = referral_link_for_code((code or "").strip())
    if link is None:
        raise UnknownReferralCode(code or "")
    channel_obj = None
    if channel:
        channel_obj = Channel.objects.filter(slug=channel).first()
        if channel_obj is None:
            raise ValidationError({"channel": f"No channel has the slug {channel[:50]!r}."})
    wanted = {
        "link_id": link.pk,
        "customer_ref": customer_ref,
        "customer_email_hash": email_hash(customer_email),
        "visitor_hash": _keyed_hash("visitor", visitor_id),
        "channel_id": channel_obj.pk if channel_obj else None,
        "amount": amount,
        "currency": (currency or "").upper(),
    }
    if ordered_at is not None:  # in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows
        wanted["ordered_at"] = ordered_at.astimezone(UTC)
    existing = Conversion.objects.filter(order_id=order_id).first()
    if existing is not None:
        return _replay(existing, wanted)
    try:
        with transaction.atomic():
            conversion = _conversion_create(link, order_id, wanted, channel_obj)
    except IntegrityError:  # the same order sent at the same moment: the other request stored it
        return _replay(Conversion.objects.get(order_id=order_id), wanted)
    return ConversionResult(conversion, True)


def _replay(existing: Conversion, wanted: dict) -> ConversionResult:
    differ = sorted(
        _field_name(name) for name, value in wanted.items() if _normal(getattr(existing, name)) != _normal(value)
    )
    if differ:
        raise ConversionConflict(
            f"Order {existing.order_id} was recorded already with different data ({', '.join(differ)}). "
            "An order is recorded once: send the same data to repeat it, or a new order id for a new order.",
            extra={"fields": differ},
        )
    return ConversionResult(existing, False)


def _field_name(name: str) -> str:
    return {
        "link_id": "code",
        "customer_email_hash": "customer_email",
        "visitor_hash": "visitor_id",
        "channel_id": "channel",
    }.get(name, name)


def _normal(value):
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return value


def _conversion_create(link: ReferralLink, order_id: str, wanted: dict, channel: Channel | None) -> Conversion:
    ordered_at = wanted.get("ordered_at") or timezone.now()
    day_before = ordered_at - timedelta(hours=24)
    limit = settings.ADVOCACY_ORDERS_PER_CUSTOMER_PER_DAY
    flags = []
    ambassador_email = link.membership.user.email if link.membership.user_id else ""
    if wanted["customer_email_hash"] and wanted["customer_email_hash"] == email_hash(ambassador_email):
        flags.append("self_referral")
    recent = Conversion.objects.filter(ordered_at__gt=day_before, ordered_at__lt=ordered_at + timedelta(hours=24))
    if recent.filter(customer_ref=wanted["customer_ref"]).count() + 1 > limit:
        flags.append("repeat_customer")
    if wanted["visitor_hash"] and recent.filter(visitor_hash=wanted["visitor_hash"]).count() + 1 > limit:
        flags.append("repeat_visitor")
    is_returning = Conversion.objects.filter(
        customer_ref=wanted["customer_ref"], review__in=COUNTED_REVIEWS, ordered_at__lt=ordered_at
    ).exists()
    conversion = Conversion(
        link=link,
        order_id=order_id,
        customer_ref=wanted["customer_ref"],
        customer_email_hash=wanted["customer_email_hash"],
        visitor_hash=wanted["visitor_hash"],
        channel=channel,
        amount=wanted["amount"],
        currency=wanted["currency"],
        ordered_at=ordered_at,
        is_returning=is_returning,
        review=Conversion.Review.HELD if flags else Conversion.Review.CLEAR,
        flags=flags,
    )
    conversion.full_clean(exclude=["link", "channel"], validate_unique=False)  # the unique index decides
    conversion.save(force_insert=True)
    activity_record(  # the ledger gives points to active members only
        membership=link.membership,
        kind=Activity.Kind.CONVERSION,
        key=order_id,
        at=ordered_at,
        kit=link.kit,
        channel=channel,
        held=bool(flags),
    )
    return conversion


# --- Review --------------------------------------------------------------------


@transaction.atomic
def conversion_review(*, conversion: Conversion, approve: bool, by=None) -> Conversion:
    """Staff decide on a held conversion: approved counts (its points too), rejected stays out."""
    conversion = Conversion.objects.select_for_update().select_related("link__membership").get(pk=conversion.pk)
    decision = Conversion.Review.APPROVED if approve else Conversion.Review.REJECTED
    if conversion.review == decision:
        return conversion  # the same decision twice (a double submit) changes nothing
    if conversion.review != Conversion.Review.HELD:
        raise ReviewError(f"This conversion was {conversion.get_review_display().lower()} already.")
    conversion.review = decision
    conversion.reviewed_by = by
    conversion.reviewed_at = timezone.now()
    conversion.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    if approve:
        activity_release(membership=conversion.link.membership, kind=Activity.Kind.CONVERSION, key=conversion.order_id)
    return conversion


@transaction.atomic
def click_flood_review(*, link: ReferralLink, hour: datetime, approve: bool, by=None) -> int:
    """Staff decide on one code's flagged clicks in one hour; returns how many clicks were decided.

    Approved clicks count (and earn their points). Rejected clicks are deleted with their held
    activities: the model has no review state for clicks, and a rejected flood must count nowhere.
    """
    link = ReferralLink.objects.select_related("membership").get(pk=link.pk)
    clicks = ReferralClick.objects.select_for_update().filter(
        link=link, flagged=True, at__gte=hour, at__lt=hour + timedelta(hours=1)
    )
    ids = list(clicks.values_list("pk", flat=True))
    keys = [f"click:{pk}" for pk in ids]
    activities = Activity.objects.filter(membership_id=link.membership_id, kind=Activity.Kind.CLICK, key__in=keys)
    if approve:
        ReferralClick.objects.filter(pk__in=ids).update(flagged=False)
        if activities.filter(held=True).update(held=False):  # one update for the flood, then badges once
            badges_award(link.membership)
    else:
        activities.filter(held=True).delete()
        ReferralClick.objects.filter(pk__in=ids).delete()
    return len(ids)
