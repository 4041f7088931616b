import factory
from django.utils import timezone

from insights.models import Channel, TrackedTerm


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.title())


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedTerm
        django_get_or_create = ("name",)

    name = "Carl's Soda"
    kind = TrackedTerm.Kind.BRAND
    query = '"carl\'s soda" OR @carlssoda OR #carlssoda -"carl\'s jr"'


def item(n: int = 1, **overrides) -> dict:
    """One bulk-contract item, valid unless overridden."""
    return {
        "source": "listening-tool",
        "external_id": f"post-{n}",
        "channel": "twitter",
        "text": "I love Carl's Soda, the cherry one is great!",
        "published_at": (timezone.now() - timezone.timedelta(hours=2)).isoformat(),
        "author": {"handle": "@fizzfan42", "name": "Robin Hart", "reach": 1200},
        "engagement": {"likes": 5, "shares": 2, "comments": 1},
        **overrides,
    }
