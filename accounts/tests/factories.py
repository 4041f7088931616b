import factory

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.services import api_key_create, user_create


class UserFactory(factory.django.DjangoModelFactory):
    """A user made through `user_create`, so that roles and the verified email come along."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@carlssoda.example")
    name = factory.Faker("name")
    password = DEMO_PASSWORD
    roles = ()
    email_verified = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(**kwargs)


class ApiKeyFactory(factory.Factory):
    """Returns (api_key, plain_key) as `api_key_create` does."""

    class Meta:
        model = tuple

    name = factory.Sequence(lambda n: f"Integration {n}")
    scopes = ("mentions:read",)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return api_key_create(**kwargs)

    _build = _create
