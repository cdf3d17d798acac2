"""factory_boy factories for the records tests need."""

import factory
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import Role, Team, User

TEST_PASSWORD = "correct horse battery staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_authenticator_app(user, secret: str = TEST_TOTP_SECRET):
    """Set up a user's authenticator app as if they had scanned the QR code."""
    return TOTP.activate(user, secret)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Locality team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@council.example")
    full_name = factory.Faker("name", locale="en_GB")
    roles = factory.LazyFunction(lambda: [Role.IRO])
    team = factory.SubFactory(TeamFactory, name="IRO service")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def with_authenticator(obj, create, extracted, **kwargs):
        """Every account has its second factor unless a test asks for one without."""
        if create and extracted is not False:
            give_authenticator_app(obj)
