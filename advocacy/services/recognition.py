"""Recognition: what ambassadors log (shares, reviews), stories and shout-outs.

Every write that earns points goes through `activity_record` (advocacy.services.activities), so
the ledger, the "counted once" rule and the badges hold the same way for every source.
"""

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from advocacy.models import Activity, Kit, Membership, ShoutOut, Story
from advocacy.services import field_validate
from advocacy.services.activities import activity_record
from core.exceptions import ApplicationError
from insights.models import Channel

# Where a post on a known network lives (the host or any subdomain): its channel follows from its address.
NETWORK_HOSTS = {
    "twitter": ("x.com", "twitter.com"),
    "facebook": ("facebook.com", "fb.com", "fb.watch"),
    "instagram": ("instagram.com",),
    "reddit": ("reddit.com", "redd.it"),
    "youtube": ("youtube.com", "youtu.be"),
    "tiktok": ("tiktok.com",),
    "linkedin": ("linkedin.com",),
}
# The characters an address may hold as is (RFC 3986); anything else (<, >, ", spaces…) is refused.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


class RecognitionError(ApplicationError):
    code = "recognition"


class NotEarning(ApplicationError):
    """A paused or former member tried to log something that earns points."""

    status_code = 409
    code = "not_earning"


def _check_earning(membership: Membership) -> None:
    if membership.status == Membership.Status.PAUSED:
        raise NotEarning("Your membership is paused, so new activity earns no points until it is resumed.")
    if membership.status != Membership.Status.ACTIVE:
        raise NotEarning("You are no longer an active ambassador, so new activity earns no points.")


def post_url_key(url: str) -> str:
    """The ledger key of a post URL: the same post counts once, however its address is typed.

    Scheme and host are case-insensitive, a fragment or a trailing slash changes nothing. Keys
    longer than the ledger's 200 characters become a hash, so two long URLs never collide.
    """
    parts = urlsplit(url.strip())
    normalized = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))
    if len(normalized) <= 200:
        return normalized
    return "sha256:" + hashlib.sha256(normalized.encode()).hexdigest()


def network_of(url: str) -> str | None:
    """The slug of the known network that hosts `url` (x.com → "twitter"), or None."""
    host = (urlsplit(url).hostname or "").lower()
    for slug, domains in NETWORK_HOSTS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return slug
    return None


def _post_url_clean(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
        if not URL_CHARACTERS.fullmatch(url):
            raise ValidationError("unsafe characters")
    except ValidationError as exc:
        raise RecognitionError("Enter the full address of the post, starting with https://.") from exc
    if len(url) > 500:
        raise RecognitionError("That address is too long (500 characters at most).")
    return url


def _share_channel(url: str, channel: Channel | None) -> Channel:
    """The channel of a shared post: its network's, from the address, or the one chosen for other sites."""
    network = network_of(url)
    if network is None:
        if channel is None:
            raise RecognitionError("Choose where you shared it: the address does not say.")
        if channel.slug in NETWORK_HOSTS:
            raise RecognitionError(f"That address is not on {channel.name}: give the address of the post there.")
        return channel
    found = Channel.objects.filter(slug=network, is_active=True).first()
    if channel is not None and channel.slug != network:
        raise RecognitionError(
            f"That address is on {found.name if found else network}, not {channel.name}: "
            "choose the right place, or leave the choice to us."
        )
    if found is None:  # the network's channel was switched off: only a choice made by hand will do
        raise RecognitionError("Choose where you shared it: the address does not say.")
    return found


def _log_post(*, membership: Membership, kind: str, url: str, kit=None, channel=None) -> Activity | None:
    _check_earning(membership)
    url = _post_url_clean(url)
    if kind == Activity.Kind.SHARE:
        channel = _share_channel(url, channel)
    key = post_url_key(url)
    # A post is one person's: the same URL logged by someone else is refused (this friendly check,
    # and the ledger's unique constraint on posts for when two ambassadors log it at once).
    taken = RecognitionError("This post is already logged by another ambassador.")
    if Activity.objects.filter(kind=kind, key=key).exclude(membership=membership).exists():
        raise taken
    try:
        return activity_record(membership=membership, kind=kind, key=key, kit=kit, channel=channel, url=url)
    except IntegrityError:
        raise taken from None


def share_record(*, membership: Membership, url: str, channel=None, kit: Kit | None = None) -> Activity | None:
    """ "I shared this": log a post about the brand (a kit optional). None when this post was already logged.

    The address must be a plain http(s) one. On a known network (NETWORK_HOSTS) the channel is
    the network's, and a different one chosen is refused; elsewhere, the channel must be chosen.
    """
    return _log_post(membership=membership, kind=Activity.Kind.SHARE, url=url, kit=kit, channel=channel)


def review_record(*, membership: Membership, url: str, channel=None) -> Activity | None:
    """ "I wrote a review": log a review (where: a channel, and its URL). None when already logged."""
    return _log_post(membership=membership, kind=Activity.Kind.REVIEW, url=url, channel=channel)


# --- Stories -----------------------------------------------------------------


def story_submit(*, membership: Membership, title: str, body: str, kind: str = Story.Kind.STORY) -> Story:
    """An ambassador submits a story or guest post; program managers review it."""
    if membership.status == Membership.Status.ALUMNI:
        raise RecognitionError("Only members of the program can submit stories.")
    story = Story(membership=membership, kind=kind, title=(title or "").strip(), body=(body or "").strip())
    try:
        story.full_clean(exclude=["slug"])
    except ValidationError as exc:
        raise RecognitionError(" ".join(exc.messages)) from exc
    story.save()
    return story


def _slug_for(story: Story) -> str:
    base = slugify(story.title)[:200] or "story"
    if not Story.objects.filter(slug=base).exclude(pk=story.pk).exists():
        return base
    return f"{base}-{story.pk}"  # unique: no other story has this pk


@transaction.atomic
def story_publish(*, story: Story, by=None) -> Story:
    """Publish a submitted story on /stories/<slug>/ and credit its author with a story activity."""
    story = Story.objects.select_for_update().select_related("membership").get(pk=story.pk)
    if story.status != Story.Status.SUBMITTED:
        raise RecognitionError(f"This story is already {story.get_status_display().lower()}.")
    story.status = Story.Status.PUBLISHED
    story.slug = _slug_for(story)
    story.published_at = timezone.now()
    story.reviewed_by = by
    try:
        with transaction.atomic():
            story.save(update_fields=["status", "slug", "published_at", "reviewed_by"])
    except IntegrityError:  # a concurrent publish took the same slug
        story.slug = f"{slugify(story.title)[:200] or 'story'}-{story.pk}"
        story.save(update_fields=["status", "slug", "published_at", "reviewed_by"])
    activity_record(
        membership=story.membership, kind=Activity.Kind.STORY, key=f"story:{story.pk}", at=story.published_at
    )
    return story


@transaction.atomic
def story_decline(*, story: Story, note: str, by=None) -> Story:
    """Decline a submitted story, with a note the author reads."""
    note = (note or "").strip()
    if not note:
        raise RecognitionError("Tell the author why, in a short note.")
    field_validate(Story, "staff_note", note, name="note")
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status != Story.Status.SUBMITTED:
        raise RecognitionError(f"This story is already {story.get_status_display().lower()}.")
    story.status = Story.Status.DECLINED
    story.staff_note = note
    story.reviewed_by = by
    story.save(update_fields=["status", "staff_note", "reviewed_by"])
    return story


# --- Shout-outs --------------------------------------------------------------


def shout_out_post(*, message: str, membership: Membership | None = None, by=None) -> ShoutOut:
    """Recognise one member, or everyone when `membership` is None; they see it on their home."""
    message = (message or "").strip()
    if not message:
        raise RecognitionError("Write the shout-out.")
    if len(message) > 1000:
        raise RecognitionError("Keep it under 1,000 characters.")
    if membership is not None and membership.status == Membership.Status.ALUMNI:
        raise RecognitionError("That person is no longer a member.")
    return ShoutOut.objects.create(message=message, membership=membership, by=by)
