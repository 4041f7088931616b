import itertools

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from advocacy.models import Kit, ReferralLink
from advocacy.services.invitations import invitation_create
from advocacy.services.membership import membership_seat, program_lock
from advocacy.services.referrals import kit_save
from insights.services.ingest import mentions_ingest


class InvitationFactory(factory.Factory):
    """Returns (invitation, token) as `invitation_create` does."""

    class Meta:
        model = tuple

    email = factory.Sequence(lambda n: f"invitee{n}@customers.example")
    name = factory.Faker("name")
    note = ""
    invited_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return invitation_create(**kwargs)

    _build = _create


class MembershipFactory(factory.Factory):
    """An active ambassador on the next free seat, through the service (role granted)."""

    class Meta:
        model = tuple  # unused: _create returns the Membership

    user = factory.SubFactory(UserFactory, email=factory.Sequence(lambda n: f"ambassador{n}@customers.example"))

    @classmethod
    def _create(cls, model_class, *args, user, **kwargs):
        from django.db import transaction

        with transaction.atomic():
            return membership_seat(program=program_lock(), user=user)

    _build = _create


class KitFactory(factory.Factory):
    """A share kit through the service (seat holders get their links)."""

    class Meta:
        model = Kit

    title = factory.Sequence(lambda n: f"Summer cherry launch {n}")
    message = "Our cherry soda is back for the summer. Tell your friends!"
    target_url = "https://shop.carlssoda.example/cherry"
    campaign = factory.Sequence(lambda n: f"cherry-summer-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))
    created_by = None

    @classmethod
    def _create(cls, model_class, *args, created_by=None, **kwargs):
        return kit_save(by=created_by, **kwargs)

    _build = _create


class ReferralLinkFactory(factory.django.DjangoModelFactory):
    """A member's link for a kit with the code a test names (the services made the link; this sets its code)."""

    class Meta:
        model = ReferralLink

    membership = factory.SubFactory(MembershipFactory)
    kit = factory.SubFactory(KitFactory)
    code = factory.Sequence(lambda n: f"code{n:04d}")

    @classmethod
    def _create(cls, model_class, *args, membership, kit, code, **kwargs):
        return ReferralLink.objects.update_or_create(membership=membership, kit=kit, defaults={"code": code})[0]


def kit_fields(**fields) -> dict:
    """A share kit as the kit form, the kits API and kit_save() take it, running from today for 30 days."""
    today = timezone.localdate()
    return {
        "title": "Cherry Summer launch",
        "message": "Cherry is back.",
        "target_url": "https://shop.carlssoda.example/cherry",
        "campaign": "cherry-summer",
        "starts_on": today.isoformat(),
        "ends_on": (today + timezone.timedelta(days=30)).isoformat(),
        **fields,
    }


PRAISE = "I love Carl's Soda, the cherry one is great!"  # VADER: positive; matches the brand term (TermFactory)
_mention_ids = itertools.count()


def mentions_by(handle, times, *, text=PRAISE, channel="twitter", reach=100, likes=0, days_ago=1, name="A Fan"):
    """`handle` posts `text` `times` on `channel`, through the ingest service (matched to terms and scored)."""
    now = timezone.now()
    items = [
        {
            "source": "test",
            "external_id": f"said-{next(_mention_ids)}",
            "channel": channel,
            "text": text,
            "published_at": (now - timezone.timedelta(days=days_ago, minutes=n)).isoformat(),
            "author": {"handle": handle, "name": name, "reach": reach},
            "engagement": {"likes": likes, "shares": 0, "comments": 0},
        }
        for n in range(times)
    ]
    assert mentions_ingest(items).created == times
