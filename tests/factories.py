"""factory_boy factories for the records tests need."""

import functools

import factory
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from accounts.models import Role, Team, User

TEST_PASSWORD = "correct horse battery staple"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@functools.cache
def hashed_test_password() -> str:
    """TEST_PASSWORD hashed once per test process: Argon2 is slow on purpose (up to a second on a
    busy machine), and hashing it again for each of the suite's thousands of users cost minutes.
    The hash is still Argon2's, so signing in checks it as in production."""
    return make_password(TEST_PASSWORD)


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

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.password = hashed_test_password() if extracted is None else make_password(extracted)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def with_authenticator(obj, create, extracted, **kwargs):
        """Every account has its second factor unless a test asks for one without."""
        if create and extracted is not False:
            give_authenticator_app(obj)


# --- case records ---------------------------------------------------------------------------
from datetime import date, datetime, timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from conferences.choices import AgencyKind, ConferenceStatus, Stage  # noqa: E402
from conferences.models import (  # noqa: E402
    Agency,
    Child,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Family,
    Invitation,
    Locality,
    Professional,
    Venue,
)


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Locality {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.OTHER


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"professional{n}@partner.example")
    agency = factory.SubFactory(AgencyFactory)


def police_officer(**kwargs):
    return ProfessionalFactory(
        agency=AgencyFactory(name="Constabulary", kind=AgencyKind.POLICE),
        job_title="Child protection officer",
        **kwargs,
    )


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    name = factory.Faker("last_name", locale="en_GB")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    local_case_id = factory.Sequence(lambda n: f"LC{n:06d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.LazyAttribute(lambda child: child.family.name)
    date_of_birth = date(2016, 5, 4)
    strategy_discussion_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildProtectionPlan

    child = factory.SubFactory(ChildFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=80))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Meeting room {n}")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)
    )


def make_conference(
    *, children_stages, chair, starts_at, status=ConferenceStatus.BOOKED, venue=None, booked_by=None
) -> Conference:
    """A conference row as booking would leave it, for tests that need history in place."""
    family = children_stages[0][0].family
    conference = Conference.objects.create(
        family=family,
        starts_at=starts_at,
        venue=venue or VenueFactory(),
        chair=chair,
        status=status,
        booked_by=booked_by or chair,
        is_past_record=starts_at < timezone.now(),
    )
    for child, stage in children_stages:
        ConferenceChild.objects.create(conference=conference, child=child, stage=Stage(stage))
    return conference


def invite(conference, professional, **fields) -> Invitation:
    return Invitation.objects.create(conference=conference, professional=professional, **fields)
