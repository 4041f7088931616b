import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from advocacy.models import Kit, ReferralLink
from advocacy.selectors.program import program_get
from advocacy.services.invitations import invitation_create
from advocacy.services.membership import membership_seat, program_lock


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


class KitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kit

    program = factory.LazyFunction(program_get)
    title = factory.Sequence(lambda n: f"Summer cherry launch {n}")
    message = "Our cherry soda is back for the summer. Tell your friends!"
    target_url = "https://shop.carlssoda.example/cherry"
    campaign = factory.Sequence(lambda n: f"cherry-summer-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))


class ReferralLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralLink

    membership = factory.SubFactory(MembershipFactory)
    kit = factory.SubFactory(KitFactory)
    code = factory.Sequence(lambda n: f"code{n:04d}")
