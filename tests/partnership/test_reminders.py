"""Reminder emails: a session tomorrow, an invoice overdue, an action past its date; each
sent once, recorded, and not to people who turned that kind off."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.services import issue_invoice
from governance.models import Action, Board, Meeting
from offers import services_bookings as bookings
from offers.models import CourseSession, DelegatePlace
from partnership import reminders
from partnership.models import ReminderChoice, ReminderSent
from tests.finance.conftest import membership_charge
from tests.offers.booking_factories import make_offer

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 2)


@pytest.fixture
def session_tomorrow(school_a, head_a, partnership_record):
    course = make_offer(
        "maths-cpd",
        name="Maths mastery CPD",
        unit="place",
        member={"": "90"},
        non_member={"": "90"},
    )
    session = CourseSession.objects.create(
        offer=course,
        date=DAY + datetime.timedelta(days=1),
        start_time=datetime.time(9, 30),
        venue="Civic Centre",
        places=10,
    )
    return bookings.book(
        school=school_a,
        offer=course,
        units=Decimal("1"),
        by=head_a,
        session=session,
        academic_year="2026/27",
        delegates=["Dee Delegate"],
    )


def test_a_session_tomorrow_is_a_reminder_once(session_tomorrow, head_a, mailoutbox):
    assert reminders.send_due_reminders(DAY).get("session_tomorrow") == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([head_a.email], "Tomorrow: Maths mastery CPD at 09:30")
    ]
    assert "Delegates: Dee Delegate." in mailoutbox[0].body
    assert "3 October 2026" in mailoutbox[0].body
    assert reminders.send_due_reminders(DAY).get("session_tomorrow") == 0
    assert ReminderSent.objects.filter(kind="session_tomorrow").count() == 1
    # Not the day after, nor two days before.
    assert (
        reminders.send_due_reminders(DAY - datetime.timedelta(days=1)).get("session_tomorrow", 0)
        == 0
    )


def test_someone_who_turned_a_kind_off_is_not_sent_it(session_tomorrow, head_a, mailoutbox):
    reminders.choose(
        head_a, wanted={"invoice_overdue", "renewal_window", "action_overdue", "evaluation_due"}
    )
    assert list(ReminderChoice.objects.filter(user=head_a).values_list("kind", flat=True)) == [
        "session_tomorrow"
    ]
    reminders.send_due_reminders(DAY)
    assert mailoutbox == []
    reminders.choose(head_a, wanted={"session_tomorrow"})
    reminders.send_due_reminders(DAY)
    assert len(mailoutbox) == 1


def test_an_overdue_invoice_reminds_the_schools_contacts_once(
    school_a, head_a, partnership_record, mailoutbox
):
    invoice = issue_invoice(
        school=school_a,
        lines=[membership_charge("membership:1", "1200.00")],
        issue_date=datetime.date(2026, 9, 1),
    )
    mailoutbox.clear()
    assert reminders.send_due_reminders(datetime.date(2026, 10, 1))["invoice_overdue"] == 0
    assert reminders.send_due_reminders(DAY)["invoice_overdue"] == 1
    assert mailoutbox[0].subject == f"Invoice {invoice.number} is overdue"
    assert "£1,200.00 is still to pay" in mailoutbox[0].body
    assert reminders.send_due_reminders(DAY + datetime.timedelta(days=7))["invoice_overdue"] == 0


def test_an_overdue_action_reaches_its_owner_when_the_owner_signs_in(
    coordinator, board_member, mailoutbox
):
    board_member.first_name, board_member.last_name = "Bea", "Board"
    board_member.save()
    meeting = Meeting.objects.create(
        board=Board.objects.create(code="b", name="Partnership Board"),
        title="Autumn meeting",
        date=DAY - datetime.timedelta(days=30),
    )
    for owner in ("Bea Board", coordinator.email.upper(), "Someone without a login"):
        Action.objects.create(
            meeting=meeting,
            description=f"Action for {owner}",
            owner=owner,
            due_date=DAY - datetime.timedelta(days=1),
        )
    Action.objects.create(
        meeting=meeting, description="Not yet due", owner="Bea Board", due_date=DAY
    )
    assert reminders.send_due_reminders(DAY)["action_overdue"] == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([board_member.email, coordinator.email])


def test_each_person_chooses_from_the_reminders_for_their_role(client_for, head_a, coordinator):
    page = client_for(head_a).get(reverse("reminder_choices")).content.decode()
    assert "The day before a course session your school booked" in page
    assert "When one of your school&#x27;s invoices is overdue" in page
    coordinator_page = client_for(coordinator).get(reverse("reminder_choices")).content.decode()
    assert "course session your school booked" not in coordinator_page
    assert "board action you own" in coordinator_page
    response = client_for(head_a).post(
        reverse("reminder_choices"), {"wanted": ["invoice_overdue", "nonsense"]}
    )
    assert response.status_code == 302
    assert set(ReminderChoice.objects.filter(user=head_a).values_list("kind", flat=True)) == {
        "session_tomorrow",
        "renewal_window",
        "action_overdue",
        "evaluation_due",
    }
    assert client_for(None).get(reverse("reminder_choices")).status_code == 302


def test_a_delegate_who_attended_is_asked_once_for_their_evaluation(
    session_tomorrow, head_a, mailoutbox
):
    place = session_tomorrow.delegates.get()
    CourseSession.objects.filter(pk=session_tomorrow.session_id).update(date=DAY)
    DelegatePlace.objects.filter(pk=place.pk).update(
        attendance=DelegatePlace.Attendance.PRESENT, delegate_email="dee@alpha.sch.uk"
    )
    mailoutbox.clear()
    assert reminders.send_due_reminders(DAY + datetime.timedelta(days=1))["evaluation_due"] == 0
    assert reminders.send_due_reminders(DAY + datetime.timedelta(days=2))["evaluation_due"] == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["dee@alpha.sch.uk"], "How was Maths mastery CPD? Your evaluation")
    ]
    assert "evaluation for Dee Delegate" in mailoutbox[0].body
    assert reminders.send_due_reminders(DAY + datetime.timedelta(days=5))["evaluation_due"] == 0
