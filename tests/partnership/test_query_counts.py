"""The main pages run as many queries for many rows as for a few.

Each test builds a world with a few rows of every kind, counts the queries one page
runs, adds several times more rows of every kind and counts again: the two counts must
be equal. A count that grows is a page reading related rows one at a time (an N+1).
"""

import datetime
import itertools
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from finance import services as finance_services
from finance.models import BudgetLine, InvoiceLine, Job, LedgerEntry, Payment
from governance.demo import demo_pdf
from governance.models import (
    Action,
    AgendaItem,
    Board,
    DayAllocation,
    Decision,
    Designation,
    Meeting,
    Minutes,
    Nomination,
    Paper,
    Priority,
    ProgressReport,
    Recommendation,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
)
from membership import services as membership_services
from membership.models import Membership, MembershipYear
from offers import services_bookings as booking_services
from offers.models import CourseSession, TierInclusion
from partnership.calendars import AcademicYear, FinancialYear
from partnership.models import Partnership
from partnership.roles import Role
from schools.models import PupilCount
from tests.factories import SchoolFactory, UserFactory, budget_line, school_user
from tests.offers.booking_factories import make_offer, make_practitioner

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.timedelta(days=1)
TODAY = datetime.date.today()
YEAR = AcademicYear.containing(TODAY)
FINANCIAL_YEAR = FinancialYear.containing(TODAY)
# Rows of each kind in the small world, and in the large one.
FEW, MANY = 2, 8
# The kinds of rows a world grows (World._grow_<kind>), and the records it issues anew.
ROWS = ("schools", "school_a", "deployments", "finance", "governance", "people")
NEWEST = ("invoice", "cpd")
EVERYTHING = ROWS + NEWEST


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The world has dozens of users; a strong hasher would only cost time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def weekdays_of_the_year(start, step):
    """Weekdays of the academic year from `start` (not included), a day at a time by `step`."""
    day = start + step
    while YEAR.starts_on <= day <= YEAR.ends_on:
        if day.weekday() < 5:
            yield day
        day += step


class World:
    """A partnership with rows of every kind the main pages show; grow() adds more.

    Rows that can be added to a record later (a booking's deployments, a meeting's
    papers) are added to the same record. An issued invoice cannot gain lines, and a
    CPD booking cannot gain delegates, so each growth issues a new one with as many as
    there are rows of each kind, and the pages show the newest.
    """

    def __init__(
        self,
        *,
        school,
        head,
        newcomer_school,
        newcomer,
        coordinator,
        finance_officer,
        board_member,
        practitioner,
    ):
        self.school, self.head, self.coordinator = school, head, coordinator
        # A school that is not a member yet, and its head.
        self.newcomer_school, self.newcomer = newcomer_school, newcomer
        self.finance_officer, self.board_member = finance_officer, board_member
        self.practitioner_user = practitioner
        self.visitor = None  # someone who has not signed in, on the public pages
        self.size = 0
        self._sources = itertools.count(1)  # an invoice line's source is unique
        # Deployments are dated within the academic year: days to come (at the very end of
        # the year, days back from today), and days gone from the start of the year.
        self._days_to_come = itertools.chain(
            weekdays_of_the_year(TODAY, DAY), weekdays_of_the_year(TODAY, -DAY)
        )
        self._days_gone = weekdays_of_the_year(YEAR.starts_on - DAY, DAY)
        self.year, _ = membership_services.load_membership_year(
            academic_year=str(YEAR), census_date=datetime.date(YEAR.start_year, 1, 15)
        )
        self.days_offer = make_offer(
            "lle-support",
            name="Extra LLE support",
            unit="day",
            member={"": "500"},
            non_member={"": "600"},
        )
        course = make_offer(
            "phonics-cpd",
            name="Phonics CPD",
            unit="place",
            member={"": "90"},
            non_member={"": "120"},
        )
        self.session = CourseSession.objects.create(
            offer=course,
            date=next(self._days_to_come),
            start_time=datetime.time(9, 30),
            venue="Civic Centre",
            places=500,
        )
        self.tier = self.add_tier("core", "Core membership")
        self.sam = make_practitioner("Sam Lee", user=practitioner, days_available="500")
        self.membership = self.join(school, head)
        self.booking = self.book(school, head, units=100)
        self.run = finance_services.start_job(
            kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter=str(YEAR), started_by=finance_officer
        )
        finance_services.update_job(self.run.pk, status=Job.Status.FINISHED, message="Done")
        self.board = Board.objects.create(code="partnership-board", name="Partnership Board")
        self.meeting = Meeting.objects.create(
            board=self.board, title="Next board meeting", date=TODAY + 7 * DAY
        )
        self.past_meeting = self.minuted_meeting("Last board meeting", TODAY - 40 * DAY)
        self.priority = Priority.objects.create(code="literacy", title="Literacy", order=0)
        self.group = TaskAndFinishGroup.objects.create(
            code="early-reading",
            name="Early reading",
            priority=self.priority,
            remit="Phonics",
            start_date=TODAY - 200 * DAY,
            end_date=TODAY + 30 * DAY,
        )
        self.invoice = self.place_booking = None

    # --- Building blocks ------------------------------------------------------------------

    def minuted_meeting(self, title, date):
        meeting = Meeting.objects.create(board=self.board, title=title, date=date)
        Minutes.objects.create(meeting=meeting, text="Minutes", status=Minutes.Status.PUBLISHED)
        return meeting

    def add_tier(self, code, name):
        tier, _ = membership_services.load_tier(
            code=code, name=name, includes=[{"offer": "lle-support", "units": D("2")}]
        )
        membership_services.load_fee_scheme(
            tier=tier, year=self.year, kind="per_pupil", rate=D("19")
        )
        return tier

    def join(self, school, head):
        membership = membership_services.sign_agreement(
            school=school, year=self.year, tier=self.tier, by=head, on=TODAY
        )
        return membership_services.approve(membership=membership, by=self.coordinator)

    def book(self, school, head, units=1):
        booking = booking_services.book(
            school=school, offer=self.days_offer, units=D(units), by=head, academic_year=str(YEAR)
        )
        return booking_services.confirm(booking=booking, by=self.coordinator)

    def issue(self, school, lines=1, issue_date=TODAY, job=None):
        return finance_services.issue_invoice(
            school=school,
            lines=[
                finance_services.ChargeLine(
                    description=f"Extra LLE support, day {n}",
                    quantity=D("1"),
                    unit_price=D("500"),
                    source=f"test:{next(self._sources)}",
                    income_account=InvoiceLine.IncomeAccount.SALES,
                    recognise_from=TODAY,
                    recognise_to=TODAY,
                )
                for n in range(1, lines + 1)
            ],
            issue_date=issue_date,
            job=job,
            issued_by=self.finance_officer,
        )

    def credit_and_pay(self, invoice, times=1):
        lines = list(invoice.lines.order_by("position"))
        for n in range(times):
            finance_services.issue_credit_note(
                invoice=invoice,
                amounts={lines[n % len(lines)].pk: D("10")},
                reason=f"Credit {n}",
                issue_date=invoice.issue_date,
                issued_by=self.finance_officer,
            )
            finance_services.record_payment(
                invoice=invoice,
                amount=D("10"),
                received_on=invoice.issue_date,
                method=Payment.Method.BACS,
                reference=f"BACS-{n}",
                recorded_by=self.finance_officer,
            )

    # --- Growth -----------------------------------------------------------------------------

    def grow(self, count, kinds):
        """Add `count` more rows of each kind (ROWS); then a new invoice and CPD booking
        (NEWEST) with as many lines, credit notes, payments and delegates as there are
        rows of each kind now."""
        for _ in range(count):
            self.size += 1
            for kind in ROWS:
                if kind in kinds:
                    getattr(self, f"_grow_{kind}")()
        if "invoice" in kinds:
            self.invoice = self.issue(self.school, lines=self.size)
            self.credit_and_pay(self.invoice, times=self.size)
        if "cpd" in kinds:
            self.place_booking = booking_services.book_places(
                school=self.school,
                session=self.session,
                delegates=[f"Delegate {n}" for n in range(self.size)],
                by=self.head,
            )

    def _grow_schools(self):
        """Member schools (each invoiced in the run, with a credit note and a payment),
        schools awaiting approval and pledging to join, tiers, bookings delivered and
        requested."""
        n = self.size
        member = SchoolFactory(pupils=200 + n)
        head = school_user(member)
        self.join(member, head)
        invoice = self.issue(member, job=self.run, issue_date=TODAY - 60 * DAY)
        self.credit_and_pay(invoice)
        pending = SchoolFactory(pupils=300 + n)
        membership_services.sign_agreement(
            school=pending, year=self.year, tier=self.tier, by=school_user(pending), on=TODAY
        )
        membership_services.submit_expression_of_interest(
            school=SchoolFactory(pupils=100 + n),
            year=self.year,
            intent="yes",
            preferred_tier=self.tier,
            by=self.coordinator,
        )
        self.add_tier(f"tier-{n}", f"Tier {n}")
        delivered = self.book(member, head)
        booking_services.mark_delivered(work=delivered, by=self.coordinator, on=TODAY)
        booking_services.book(
            school=member, offer=self.days_offer, units=D("1"), by=head, academic_year=str(YEAR)
        )

    def _grow_school_a(self):
        """School A's census counts, users, memberships of other years (and the history of
        this year's), what its tier includes, bookings and invoices."""
        n = self.size
        PupilCount.objects.create(
            school=self.school,
            census_date=datetime.date(YEAR.start_year - n, 1, 15),
            pupils=400 - n,
            source=f"gias-{n}.csv",
        )
        school_user(self.school, first_name=f"Deputy {n}")
        past = MembershipYear.objects.create(
            academic_year=str(AcademicYear(YEAR.start_year - n)),
            census_date=datetime.date(YEAR.start_year - n, 1, 15),
        )
        Membership.objects.create(
            school=self.school,
            year=past,
            tier=self.tier,
            status=Membership.Status.LAPSED,
            fee_amount=D("7000"),
            fee_basis="350 pupils × £20.00",
            signed_at=self.membership.signed_at,
            decided_by=self.coordinator,
        )
        future = MembershipYear.objects.create(
            academic_year=str(AcademicYear(YEAR.start_year + n)),
            census_date=datetime.date(YEAR.start_year + n, 1, 15),
        )
        Membership.objects.create(
            school=self.school,
            year=future,
            tier=self.tier,
            status=Membership.Status.INTERESTED,
            renewal_of=self.membership,
        )
        TierInclusion.objects.create(
            tier=self.tier,
            offer=make_offer(f"included-{n}", name=f"Included offer {n}", member={"": "0"}),
            units=D("1"),
        )
        self.membership.purchase_order = f"PO-{n}"
        self.membership.save()  # a change in the membership's history
        self.book(self.school, self.head)
        self.issue(self.school)

    def _grow_deployments(self):
        """School A's booking gains practitioners; Sam gains days to come and to confirm."""
        booking_services.deploy(
            work=self.booking,
            practitioner=make_practitioner(f"Practitioner {self.size}"),
            dates=[next(self._days_to_come)],
            days=D("1"),
            by=self.coordinator,
        )
        for day in (next(self._days_to_come), next(self._days_gone)):
            booking_services.deploy(
                work=self.booking,
                practitioner=self.sam,
                dates=[day],
                days=D("1"),
                by=self.coordinator,
            )

    def _grow_finance(self):
        n = self.size
        finance_services.record_journal(
            side=LedgerEntry.Side.EXPENDITURE,
            amount=D("100") + n,
            entry_date=TODAY,
            description=f"Venue hire {n}",
            reason="Test",
            entered_by=self.finance_officer,
        )
        for year, kind in (
            (FINANCIAL_YEAR, BudgetLine.Kind.CORE),
            (FINANCIAL_YEAR, BudgetLine.Kind.INCOME),
            (FinancialYear(FINANCIAL_YEAR.start_year - n), BudgetLine.Kind.ADDITIONAL),
        ):
            budget_line(
                str(AcademicYear(year.start_year)),
                code=f"{kind}-{n}",
                name=f"{kind.label} {n}",
                kind=kind,
                amount=D("1000") * n,
            )
        for status in (Job.Status.FINISHED, Job.Status.RUNNING):
            job = finance_services.start_job(
                kind=Job.Kind.MONTHLY_BOOKINGS_RUN,
                parameter=f"run {n}",
                started_by=self.finance_officer,
            )
            finance_services.update_job(job.pk, status=status)

    def _grow_people(self):
        """People given a role and a second factor, and then another role; who acts for a
        school; changes to the partnership's settings, a practitioner's day cost and an
        offer's price (all audited)."""
        n = self.size
        person = UserFactory(role=Role.COORDINATOR)  # with an authenticator app
        person.role = Role.FINANCE
        person.save()
        school_user(self.newcomer_school, first_name=f"Bursar {n}")
        partnership = Partnership.current()
        partnership.payment_terms_days += 1
        partnership.save()
        self.sam.day_cost += 1
        self.sam.save()
        price = self.days_offer.prices.get(kind="member", category="")
        price.amount += 1
        price.save()

    def _grow_governance(self):
        n = self.size
        item = AgendaItem.objects.create(meeting=self.meeting, order=n, title=f"Item {n}")
        pdf = demo_pdf(f"Paper {n}")
        Paper.objects.create(
            agenda_item=item,
            title=f"Paper {n}",
            file=ContentFile(pdf, name="paper.pdf"),
            original_name=f"paper-{n}.pdf",
            size=len(pdf),
            uploaded_by=self.coordinator,
        )
        for meeting in (self.meeting, self.past_meeting):
            Decision.objects.create(meeting=meeting, text=f"Decision {n}", order=n)
        Action.objects.create(
            meeting=self.meeting,
            description=f"Action {n}",
            owner="Chair",
            due_date=TODAY + 30 * DAY,
        )
        Action.objects.create(
            meeting=self.past_meeting,
            description=f"Overdue action {n}",
            owner="Chair",
            due_date=TODAY - n * DAY,
        )
        later = Meeting.objects.create(
            board=self.board, title=f"Meeting {n}", date=TODAY + (30 + n) * DAY
        )
        AgendaItem.objects.create(meeting=later, order=1, title="Item")
        self.minuted_meeting(f"Earlier meeting {n}", TODAY - (60 + n) * DAY)
        Priority.objects.create(code=f"priority-{n}", title=f"Priority {n}", order=n)
        ended = TaskAndFinishGroup.objects.create(
            code=f"group-{n}",
            name=f"Group {n}",
            priority=self.priority,
            remit="Remit",
            start_date=TODAY - 100 * DAY,
            end_date=TODAY - n * DAY,
        )
        ProgressReport.objects.create(group=ended, rag="red", summary="Behind")
        school = SchoolFactory()
        person = UserFactory(role=Role.BOARD)
        self.group.schools.add(school)
        self.group.people.add(person)
        # One allocation per designation: the five designations, then more days on each.
        designation = Designation.values[(n - 1) % len(Designation.values)]
        DayAllocation.objects.update_or_create(
            group=self.group, designation=designation, defaults={"days": n, "day_rate": D("500")}
        )
        TaskGroupDays.objects.create(
            group=self.group,
            designation=designation,
            date=TODAY - n * DAY,
            days=D("1"),
            day_rate=D("350"),
        )
        ProgressReport.objects.create(
            group=self.group, date=TODAY - n * DAY, rag="amber", summary=f"Report {n}"
        )
        Recommendation.objects.create(group=self.group, text=f"Recommendation {n}")
        vacant = Seat.objects.create(board=self.board, code=f"vacant-{n}", role=Seat.Role.GOVERNOR)
        Seat.objects.create(
            board=self.board,
            code=f"held-{n}",
            role=Seat.Role.HEAD_PRIMARY,
            holder_user=person,
            school=school,
            term_start=TODAY - 300 * DAY,
            term_end=TODAY + 30 * DAY,
        )
        Nomination.objects.create(
            seat=vacant,
            nominated_by=self.head,
            nominee_name=f"Nominee {n}",
            nominee_email=f"nominee{n}@example.org",
            school=self.school,
            statement="I would like to serve.",
        )


@pytest.fixture
def world(
    partnership_record,
    school_a,
    head_a,
    school_b,
    head_b,
    coordinator,
    finance_officer,
    board_member,
    practitioner_user,
):
    return World(
        school=school_a,
        head=head_a,
        newcomer_school=school_b,
        newcomer=head_b,
        coordinator=coordinator,
        finance_officer=finance_officer,
        board_member=board_member,
        practitioner=practitioner_user,
    )


SCENARIO = {
    "financial_year": str(FINANCIAL_YEAR),
    "take_up_primary": "80",
    "take_up_secondary": "80",
    "take_up_special": "80",
    "take_up_other": "50",
    "fee_primary": "2100",
    "fee_secondary": "4200",
    "fee_special": "1050",
    "fee_other": "1050",
    "discounted_sales_percent": "80",
    "basic_fee": "1000",
    "standard_fee": "1500",
    "standard_take_up": "30",
    "advanced_fee": "3000",
    "advanced_take_up": "10",
    "tier_sales_percent": "40",
    "core_per_pupil": "5",
}


def scenarios_url(world):
    return f"{reverse('finance:scenarios')}?{urlencode(SCENARIO)}"


def page(name, who, url, kinds, *args):
    """A page: who opens it, its URL name and arguments, the kinds of rows it shows."""
    return pytest.param(who, lambda w: reverse(url, args=[arg(w) for arg in args]), kinds, id=name)


def school_a_urn(world):
    return world.school.urn


PAGES = [
    # The dashboard, assembled from every app's panels, for each role.
    *[
        page(f"dashboard-{who}", who, "dashboard", EVERYTHING)
        for who in ("coordinator", "head", "finance_officer", "board_member", "practitioner_user")
    ],
    # Finance.
    page("trading-account", "finance_officer", "finance:trading_account", ("schools", "finance")),
    page("reports", "finance_officer", "finance:reports", ("finance",)),
    page("break-even", "finance_officer", "finance:break_even", ("schools", "finance")),
    pytest.param("coordinator", scenarios_url, ("schools", "finance"), id="scenarios"),
    page("costing-csv", "coordinator", "finance:costing", ("finance",)),
    page(
        "invoice-finance",
        "finance_officer",
        "finance:invoice",
        ("invoice",),
        lambda w: w.invoice.pk,
    ),
    page("invoice-head", "head", "finance:invoice", ("invoice",), lambda w: w.invoice.pk),
    page("job", "finance_officer", "finance:job", ("schools",), lambda w: w.run.pk),
    page("runs", "finance_officer", "finance:runs", ("finance",)),
    # The audit trail, every change of every kind on one page.
    pytest.param(
        "finance_officer",
        lambda w: f"{reverse('finance:audit')}?per_page=5000",
        EVERYTHING,
        id="audit-trail",
    ),
    # Schools and membership.
    *[
        page(f"school-{who}", who, "schools:detail", ("school_a", "deployments"), school_a_urn)
        for who in ("coordinator", "head", "finance_officer")
    ],
    *[
        page(f"school-membership-{who}", who, "membership:school", ("school_a",), school_a_urn)
        for who in ("coordinator", "head")
    ],
    page("fee-schedule", "finance_officer", "membership:fee_schedule", ("schools",)),
    page(
        "agreement",
        "newcomer",
        "membership:agreement",
        ("schools",),
        lambda w: w.newcomer_school.urn,
    ),
    page("expressions-of-interest", "coordinator", "membership:interests", ("schools",)),
    page("people", "coordinator", "people", ("schools",)),
    # Governance.
    page(
        "partnership-dashboard",
        "board_member",
        "governance:dashboard",
        ("schools", "deployments", "finance", "governance"),
    ),
    *[
        page(f"meeting-{who}", who, "governance:meeting", ("governance",), lambda w: w.meeting.pk)
        for who in ("coordinator", "board_member")
    ],
    page("priorities", "board_member", "governance:priorities", ("governance",)),
    page("boards", "board_member", "governance:boards", ("governance",)),
    page("minutes-list", "head", "governance:minutes_list", ("governance",)),
    page("minutes", "head", "governance:minutes", ("governance",), lambda w: w.past_meeting.pk),
    *[
        page(
            f"task-group-{who}", who, "governance:task_group", ("governance",), lambda w: w.group.pk
        )
        for who in ("coordinator", "board_member")
    ],
    # Offers: demand, a booking with its deployments, and a CPD booking with its delegates.
    page("demand", "coordinator", "offers:demand", ("schools",)),
    *[
        page(
            f"booking-{who}", who, "offers:booking_detail", ("deployments",), lambda w: w.booking.pk
        )
        for who in ("coordinator", "head")
    ],
    page("cpd-booking", "head", "offers:booking_detail", ("cpd",), lambda w: w.place_booking.pk),
    # Public pages, for a visitor who has not signed in: more schools, tiers and what each
    # tier includes, pupil counts and other years' memberships.
    page("home-public", "visitor", "home", ("schools", "school_a")),
    page("offer-public", "visitor", "offers:catalogue", ("schools", "school_a")),
    page(
        "offer-detail-public",
        "visitor",
        "offers:offer_detail",
        ("schools", "school_a"),
        lambda w: w.days_offer.code,
    ),
    page("fees-public", "visitor", "fees", ("schools", "school_a")),
    pytest.param(
        "visitor",
        lambda w: f"{reverse('fees')}?{urlencode({'urn': w.school.urn})}",
        ("schools", "school_a"),
        id="fees-school-public",
    ),
    pytest.param(
        "visitor",
        lambda w: f"{reverse('fees')}?{urlencode({'q': 'School'})}",
        ("schools",),
        id="fees-search-public",
    ),
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def shape(sql):
    """The query with its values taken out, so the same query for two rows matches."""
    return re.sub(r"'[^']*'|\d+", "?", sql)


@pytest.mark.parametrize(("who", "url", "kinds"), PAGES)
def test_the_number_of_queries_does_not_grow_with_the_rows(world, client_for, who, url, kinds):
    client = client_for(getattr(world, who))
    world.grow(FEW, kinds)
    client.get(url(world))  # caches filled (content types, site) before counting
    few = queries_for(client, url(world))
    world.grow(MANY - FEW, kinds)
    many = queries_for(client, url(world))
    repeated = Counter(map(shape, many)) - Counter(map(shape, few))
    assert len(few) == len(many), (
        f"{len(few)} queries with {FEW} rows of each kind, {len(many)} with {MANY}; "
        f"more of: {dict(repeated)}"
    )
