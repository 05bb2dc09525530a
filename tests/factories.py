"""Factories for test data. Shared by every app's tests."""

import datetime
import itertools

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from partnership.demo import DEMO_TOTP_SECRET
from partnership.models import Partnership, User
from partnership.roles import Role
from partnership.second_factor import needs_second_factor
from schools.models import PupilCount, School, SchoolContact

CENSUS = datetime.date(2026, 1, 15)
_urns = itertools.count(100001)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = "Test Schools' Improvement Partnership"
    la_code = "312"
    la_name = "Hillingdon"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    role = Role.HEADTEACHER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": True}
            )

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """An authenticator app for those who need a second factor; `totp=False` leaves it out
        (someone still to set one up)."""
        wanted = needs_second_factor(obj) if extracted is None else extracted
        if create and wanted:
            TOTP.activate(obj, DEMO_TOTP_SECRET)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    urn = factory.LazyFunction(lambda: str(next(_urns)))
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    la_code = "312"
    la_name = "Hillingdon"
    establishment_type = "Community school"
    type_group = "Local authority maintained schools"
    phase = "Primary"
    category = "primary"
    governance = "community"
    gias_status = "Open"
    status = School.Status.OPEN
    postcode = "UB8 1AA"

    @factory.post_generation
    def pupils(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            PupilCount.objects.create(school=obj, census_date=CENSUS, pupils=extracted)


def school_user(school, **kwargs):
    """A headteacher who acts for this school."""
    user = UserFactory(role=Role.HEADTEACHER, **kwargs)
    SchoolContact.objects.create(
        school=school, user=user, role=SchoolContact.Role.HEADTEACHER, position="Headteacher"
    )
    return user


def budget_line(budget_year="2026/27", start_month=9, **fields):
    """A budget line of a partnership year (September to August unless told otherwise)."""
    from finance.models import BudgetLine
    from partnership.calendars import AcademicYear, PartnershipYear

    period = PartnershipYear(AcademicYear.parse(budget_year).start_year, start_month)
    return BudgetLine.objects.create(
        budget_year=budget_year, starts_on=period.starts_on, ends_on=period.ends_on, **fields
    )
