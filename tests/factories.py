"""factory_boy factories for the records tests need."""

import factory

from accounts.models import Role, Team, User

TEST_PASSWORD = "correct horse battery staple"


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
