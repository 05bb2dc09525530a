"""Retention: delegates' names go after their period; bookings and charges stay."""

from datetime import UTC, date, datetime

import pytest

from offers import services_bookings as services
from offers.models import Booking
from offers.models.bookings import DelegatePlace
from partnership.privacy import DELEGATE_NAMES, apply_retention_rules
from partnership.tasks import apply_retention_rules as retention_task
from tests.offers.booking_factories import cpd_course, cpd_session  # noqa: F401


@pytest.fixture
def booked(school_a, head_a, cpd_session):  # noqa: F811
    return services.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith", "Raj Patel"], by=head_a
    )


def names(booking):
    return sorted(booking.delegates.values_list("delegate_name", flat=True))


@pytest.mark.django_db
def test_names_are_kept_until_the_period_has_passed(booked):
    # The session is on 3 February 2027; the period is two years (an assumption).
    assert apply_retention_rules(today=date(2029, 2, 3))[DELEGATE_NAMES.kind] == 0
    assert names(booked) == ["Ann Smith", "Raj Patel"]


@pytest.mark.django_db
def test_names_past_the_period_are_removed_and_the_booking_and_its_price_stay(booked):
    price, units = booked.unit_price, booked.units
    assert apply_retention_rules(today=date(2029, 2, 4))[DELEGATE_NAMES.kind] == 2
    assert names(booked) == [services.REMOVED_DELEGATE_NAME] * 2
    booking = Booking.objects.get(pk=booked.pk)
    assert (booking.unit_price, booking.units, booking.status) == (price, units, booked.status)
    assert DelegatePlace.objects.filter(booking=booked).count() == 2


@pytest.mark.django_db
def test_the_scheduled_task_runs_the_rules_and_twice_changes_nothing_more(booked, settings):
    assert settings.CELERY_BEAT_SCHEDULE["apply-retention-rules"]["task"] == (
        "partnership.tasks.apply_retention_rules"
    )
    first = retention_task.delay().get()
    # Today is long before 2029, so nothing has passed its period yet.
    assert first[DELEGATE_NAMES.kind] == 0
    assert apply_retention_rules(today=date(2030, 1, 1))[DELEGATE_NAMES.kind] == 2
    assert set(apply_retention_rules(today=date(2030, 1, 1)).values()) == {0}


@pytest.mark.django_db
def test_an_account_switched_off_past_its_period_is_erased_and_a_live_one_kept(
    school_a, coordinator
):
    from partnership.models import PersonalDataRequest, User
    from partnership.privacy import DEACTIVATED_ACCOUNTS
    from tests.factories import UserFactory

    gone = UserFactory(first_name="Gone", is_active=False)
    still = UserFactory(first_name="Still", is_active=True)
    # Their accounts were last changed on 1 March 2026.
    User.history.update(history_date=datetime(2026, 3, 1, 12, tzinfo=UTC))
    # Two years (an assumption) after the last change to the account.
    assert apply_retention_rules(today=date(2028, 3, 1))[DEACTIVATED_ACCOUNTS.kind] == 0
    assert apply_retention_rules(today=date(2028, 3, 2))[DEACTIVATED_ACCOUNTS.kind] == 1
    gone.refresh_from_db()
    assert gone.first_name == "Erased" and gone.email.endswith("@erased.invalid")
    assert not User.history.filter(id=gone.pk, first_name="Gone").exists()
    assert User.objects.get(pk=still.pk).first_name == "Still"
    erasure = PersonalDataRequest.objects.get()
    assert (erasure.user, erasure.made_by, erasure.action) == (gone, None, "erasure")
    assert apply_retention_rules(today=date(2028, 3, 2))[DEACTIVATED_ACCOUNTS.kind] == 0


@pytest.mark.django_db
def test_payer_names_on_bank_files_go_after_a_year_and_amounts_and_references_stay():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from finance.models import BankStatement, BankStatementLine
    from finance.receipts import read_statement
    from partnership.privacy import BANK_PAYER_NAMES

    bank_file = (
        b"Date,Description,Reference,Money in\n"
        b"03/11/2026,BROOKFIELD PRIMARY,INV-2026-27-00001,100.00\n"
    )
    read_statement(SimpleUploadedFile("statement.csv", bank_file))
    BankStatement.objects.update(uploaded_at=datetime(2026, 11, 4, 9, tzinfo=UTC))
    assert apply_retention_rules(today=date(2027, 11, 4))[BANK_PAYER_NAMES.kind] == 0
    assert apply_retention_rules(today=date(2027, 11, 5))[BANK_PAYER_NAMES.kind] == 1
    line = BankStatementLine.objects.get()
    assert (line.description, line.reference, str(line.amount)) == (
        "",
        "INV-2026-27-00001",
        "100.00",
    )
    assert apply_retention_rules(today=date(2027, 11, 5))[BANK_PAYER_NAMES.kind] == 0


@pytest.mark.django_db
def test_a_contact_who_left_loses_name_and_address_after_two_years_everywhere(school_a):
    from partnership.privacy import CONTACTS_WHO_LEFT
    from schools.models import SchoolContact
    from schools.services import NAME_REMOVED, add_school_contact, mark_contact_left

    chair = add_school_contact(
        school_a, name="Cara Chair", email="cara@example.org", role="chair_of_governors"
    )
    staying = add_school_contact(school_a, name="Sam Stays", role="other")
    mark_contact_left(chair, left_on=date(2026, 7, 31))
    assert apply_retention_rules(today=date(2028, 7, 31))[CONTACTS_WHO_LEFT.kind] == 0
    assert apply_retention_rules(today=date(2028, 8, 1))[CONTACTS_WHO_LEFT.kind] == 1
    chair.refresh_from_db()
    assert (chair.name, chair.email, chair.role, chair.left_on) == (
        NAME_REMOVED,
        "",
        "chair_of_governors",
        date(2026, 7, 31),
    )
    # Nor do the audit trail's copies keep them.
    kept = SchoolContact.history.filter(id=chair.pk).values_list("name", "email")
    assert set(kept) == {(NAME_REMOVED, "")}
    assert SchoolContact.objects.get(pk=staying.pk).name == "Sam Stays"
    assert apply_retention_rules(today=date(2028, 8, 1))[CONTACTS_WHO_LEFT.kind] == 0
