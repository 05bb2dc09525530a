"""Reads for membership pages, exports and the other apps (finance, governance, offers)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from offers.models import Tier, TierInclusion
from partnership.calendars import months_from
from partnership.money import money
from schools.models import PupilCount, School
from schools.rules import Category

from . import rules
from .models import ExpressionOfInterest, FeeScheme, Membership, MembershipYear

Status = Membership.Status
# Memberships whose fee the school owes for that year: approved, including those that
# were active for a year since finished without renewal.
EARNING_STATUSES = (Status.ACTIVE, Status.LAPSED)


def current_year():
    return MembershipYear.objects.current()


def year_named(academic_year: str):
    return MembershipYear.objects.filter(academic_year=academic_year).first()


def memberships_to_invoice(academic_year: str):
    """Active memberships of the year, for the annual invoice run (fee frozen on each)."""
    return (
        Membership.objects.filter(year__academic_year=academic_year, status=Status.ACTIVE)
        .select_related("school", "tier", "year")
        # Whether a school converted to an academy decides who is billed (School.conversion).
        .prefetch_related("school__successors")
        .order_by("school__name")
    )


def active_tier_for(school, academic_year: str):
    """The tier of the school's active membership in that year, or None (a non-member)."""
    membership = (
        Membership.objects.filter(
            school=school, year__academic_year=academic_year, status=Status.ACTIVE
        )
        .select_related("tier")
        .first()
    )
    return membership.tier if membership else None


# A school that has signed its agreement books as a member while the coordinator decides:
# it has committed to the fee, and approval must not change what it was told it pays.
BOOKING_STATUSES = (Status.ACTIVE, Status.PENDING)


def booking_tier_in_year(school, academic_year: str):
    """The tier a school books under in that academic year: its signed membership's tier
    (approved or awaiting approval), or None (a non-member)."""
    membership = (
        Membership.objects.filter(
            school=school, year__academic_year=academic_year, status__in=BOOKING_STATUSES
        )
        .select_related("tier")
        .first()
    )
    return membership.tier if membership else None


def year_containing(on_date):
    """The membership year whose months include the date (its own start month), or None."""
    for year in MembershipYear.objects.order_by("academic_year"):
        if year.starts_on <= on_date <= year.ends_on:
            return year
    return None


def booking_tier_for(school, on_date):
    """The tier a school books under on a date: its membership of the year whose months hold
    the date (an April partnership's 2026/27 holds May 2026); None outside every year."""
    year = year_containing(on_date)
    return booking_tier_in_year(school, year.academic_year) if year else None


def signed_membership_income(academic_year: str, *, include_pending=False) -> Decimal:
    """Total frozen fees of approved memberships of the year (with those awaiting approval too
    when `include_pending`, for a forecast)."""
    statuses = EARNING_STATUSES + ((Status.PENDING,) if include_pending else ())
    total = Membership.objects.filter(
        year__academic_year=academic_year, status__in=statuses
    ).aggregate(total=Sum("fee_amount"))["total"]
    return money(total or 0)


# Memberships a school has signed for the year, whose fee is expected: awaiting approval,
# approved, or approved and since lapsed (a lapsed school still owed that year's fee).
SIGNED_STATUSES = (Status.PENDING, Status.ACTIVE, Status.LAPSED)


def years_overlapping(starts_on, ends_on) -> list[MembershipYear]:
    """The membership years with at least one day between the two dates."""
    return [
        year
        for year in MembershipYear.objects.order_by("academic_year")
        if year.starts_on <= ends_on and year.ends_on >= starts_on
    ]


def signed_memberships(year):
    """The year's signed memberships (frozen fee on each), whatever has happened since."""
    return Membership.objects.filter(
        year=year, status__in=SIGNED_STATUSES, fee_amount__isnull=False
    )


@dataclass(frozen=True)
class Pledge:
    """A school that said it intends to join, valued at its chosen tier's fee for that school."""

    school_id: int
    school_name: str
    tier_name: str
    fee: Decimal | None  # None: no tier chosen, or no fee can be worked out for the school
    basis: str


def pledges(year) -> list[Pledge]:
    """Schools that said "yes" to joining the year and have signed nothing yet, each valued
    at the full-year fee of its preferred tier for that school (pupils at the year's census).
    A pledge with no tier, or whose fee cannot be worked out, is counted but not valued."""
    signed = Membership.objects.filter(
        year=year, status__in=SIGNED_STATUSES, school_id=OuterRef("school_id")
    )
    latest = PupilCount.objects.filter(
        school=OuterRef("school_id"), census_date__lte=year.census_date
    ).order_by("-census_date")
    rows = (
        ExpressionOfInterest.objects.filter(year=year, intent=ExpressionOfInterest.Intent.YES)
        .exclude(Exists(signed))
        .select_related("school", "preferred_tier")
        .annotate(pupils=Subquery(latest.values("pupils")[:1]))
        .order_by("school__name")
    )
    schemes = {scheme.tier_id: scheme.terms() for scheme in FeeScheme.objects.filter(year=year)}
    found = []
    for row in rows:
        tier = row.preferred_tier
        if tier is None or tier.pk not in schemes:
            found.append(Pledge(row.school_id, row.school.name, "", None, "no tier chosen"))
            continue
        quote = rules.annual_fee(
            schemes[tier.pk],
            pupils=row.pupils,
            category=row.school.category or None,
            census_date=year.census_date,
        )
        found.append(
            Pledge(
                row.school_id,
                row.school.name,
                tier.name,
                quote.amount if quote.ok else None,
                quote.basis if quote.ok else quote.error,
            )
        )
    return found


@dataclass(frozen=True)
class YearMembers:
    """The schools that signed for a year, whatever has happened since: how many, their
    pupils at the year's census, their fees, and the full-year fees (a mid-year joiner's
    fee scaled back up to twelve months) that an average fee is taken from."""

    schools: int
    awaiting_approval: int
    pupils: int
    fees: Decimal
    awaiting_approval_fees: Decimal
    full_year_fees: Decimal

    @property
    def average_full_year_fee(self) -> Decimal | None:
        return money(self.full_year_fees / self.schools) if self.schools else None


def year_members(year) -> YearMembers:
    """Members of the year (approved, since lapsed, or signed and awaiting approval), counted
    in the database by joining month, whatever the number of members. Pupils are each
    school's latest count on or before the year's census, as `School.with_pupils_at`."""
    if year is None:
        return YearMembers(0, 0, 0, money(0), money(0), money(0))
    latest = PupilCount.objects.filter(
        school=OuterRef("school_id"), census_date__lte=year.census_date
    ).order_by("-census_date")
    groups = (
        signed_memberships(year)
        .annotate(pupils_at_census=Subquery(latest.values("pupils")[:1]))
        .values("joined_on__year", "joined_on__month", "status")
        .annotate(schools=Count("pk"), pupils=Sum("pupils_at_census"), fees=Sum("fee_amount"))
        .order_by()
    )
    schools = awaiting = pupils = 0
    fees = awaiting_fees = full_year = Decimal("0")
    for group in groups:
        schools += group["schools"]
        pupils += group["pupils"] or 0
        fees += group["fees"]
        if group["status"] == Status.PENDING:
            awaiting += group["schools"]
            awaiting_fees += group["fees"]
        months = 12
        if group["joined_on__year"]:
            joined = date(group["joined_on__year"], group["joined_on__month"], 1)
            if joined > year.starts_on:
                months = months_from(joined, year.ends_on)
        full_year += group["fees"] * 12 / months
    return YearMembers(
        schools, awaiting, pupils, money(fees), money(awaiting_fees), money(full_year)
    )


@dataclass(frozen=True)
class TakeUp:
    category: str
    label: str
    open_schools: int
    members: int
    pending: int
    interested: int
    income: Decimal


def take_up_by_category(academic_year: str) -> list[TakeUp]:
    """For each school category: open schools, active members, awaiting approval, interested,
    and the members' frozen fees. Two queries whatever the number of schools."""
    schools = dict(
        School.objects.open()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    rows = (
        Membership.objects.filter(year__academic_year=academic_year)
        .values("school__category")
        .annotate(
            members=Count("pk", filter=Q(status__in=EARNING_STATUSES)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            interested=Count("pk", filter=Q(status=Status.INTERESTED)),
            income=Sum("fee_amount", filter=Q(status__in=EARNING_STATUSES)),
        )
    )
    by_category = {row["school__category"]: row for row in rows}
    labels = dict(Category.choices) | {"": "No category"}
    result = []
    for category in [c for c in labels if c in schools or c in by_category]:
        row = by_category.get(category, {})
        result.append(
            TakeUp(
                category=category,
                label=labels[category],
                open_schools=schools.get(category, 0),
                members=row.get("members", 0),
                pending=row.get("pending", 0),
                interested=row.get("interested", 0),
                income=money(row.get("income") or 0),
            )
        )
    return result


# --- Fees for a school ---------------------------------------------------------------------


def pupils_at_census(school, year):
    count = school.pupils_at(year.census_date)
    return count.pupils if count else None


def fee_quote(*, school, scheme, pupils, joined_on=None) -> rules.FeeQuote:
    """What this school would pay under this scheme (pupils at the scheme year's census)."""
    year = scheme.year
    return rules.quote_fee(
        scheme.terms(),
        pupils=pupils,
        category=school.category or None,
        census_date=year.census_date,
        year=year.period,
        joined_on=joined_on,
    )


@dataclass
class TierOption:
    """A tier as offered to one school on the agreement page."""

    tier: Tier
    scheme: FeeScheme
    quote: rules.FeeQuote
    inclusions: list


def tier_options(*, school, year, joined_on) -> list[TierOption]:
    """Every active tier with a fee scheme for the year, costed for this school."""
    pupils = pupils_at_census(school, year)
    schemes = published_schemes(year)
    return [
        TierOption(
            tier=scheme.tier,
            scheme=scheme,
            quote=fee_quote(school=school, scheme=scheme, pupils=pupils, joined_on=joined_on),
            inclusions=list(scheme.tier.inclusions.all()),
        )
        for scheme in schemes
    ]


def published_schemes(year):
    """The fee schemes of the tiers on offer in the year, in the tiers' order, each with its
    tier and what the tier includes (three queries for any number of tiers)."""
    return (
        FeeScheme.objects.filter(year=year, tier__active=True)
        .select_related("tier", "year")
        .prefetch_related(_inclusions_prefetch())
        .order_by("tier__order", "tier__name")
    )


def published_fee_years(today, limit=2) -> list[MembershipYear]:
    """The membership years whose fees anyone may look up: those not yet ended with a fee
    for at least one tier on offer, soonest first (this year, and next year's once loaded)."""
    years = MembershipYear.objects.filter(
        Exists(FeeScheme.objects.filter(year=OuterRef("pk"), tier__active=True))
    ).order_by("academic_year")
    return [year for year in years if year.ends_on >= today][:limit]


@dataclass
class SchoolFees:
    """What one school would pay for each tier on offer in one year, and from what count."""

    year: MembershipYear
    joined_on: date | None  # None: the whole year (the year has not started)
    pupil_count: PupilCount | None  # the count the fees are worked out from
    options: list  # TierOption, one per tier on offer

    @property
    def months(self) -> int:
        return months_from(self.joined_on, self.year.ends_on) if self.joined_on else 12


def school_fees(school, *, today) -> list[SchoolFees]:
    """The school's fee for every tier on offer in each year whose fees are published: for a
    year under way, as if it joined today (the months left, as its agreement would be);
    for a year to come, the whole year."""
    found = []
    for year in published_fee_years(today):
        joined_on = today if today > year.starts_on else None
        found.append(
            SchoolFees(
                year=year,
                joined_on=joined_on,
                pupil_count=school.pupils_at(year.census_date),
                options=tier_options(school=school, year=year, joined_on=joined_on),
            )
        )
    return found


def _inclusions_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "tier__inclusions",
        queryset=TierInclusion.objects.select_related("offer").order_by("offer__name"),
    )


def inclusions_of(tier):
    if tier is None:
        return []
    return list(tier.inclusions.select_related("offer").order_by("offer__name"))


def open_membership(school, year):
    return (
        Membership.objects.filter(school=school, year=year)
        .exclude(status__in=Membership.CLOSED_STATUSES)
        .select_related("tier", "year")
        .first()
    )


def memberships_of_school(school):
    """Every year's membership, newest first (each with the membership it renews, if any)."""
    return (
        Membership.objects.filter(school=school)
        .select_related("tier", "year", "renewal_of")
        .order_by("-year__academic_year", "-pk")
    )


def membership_history(membership):
    """Each recorded change of the membership, newest first, with who made it."""
    return membership.history.select_related("history_user").order_by("-history_date")


# --- Lists for the coordinator -------------------------------------------------------------------


def memberships_for_list():
    return Membership.objects.select_related("school", "tier", "year")


def renewals_for_list():
    """Memberships offered as renewals, with when the school answered and how many
    reminders it was sent (counted in the same query, not per row)."""
    return (
        Membership.objects.filter(renewal_of__isnull=False)
        .select_related("school", "tier", "year", "renewal_of__tier")
        .annotate(
            answered_at=Coalesce("signed_at", "decided_at"),
            reminders_sent=Count("reminders"),
        )
    )


def renewal_counts(year) -> dict[str, int]:
    """How many schools invited to renew for `year` gave each answer."""
    counts = {"No response": 0, "Renewing": 0, "Changing membership": 0, "Leaving": 0}
    rows = Membership.objects.filter(year=year, renewal_of__isnull=False).values_list(
        "status", "tier_id", "renewal_of__tier_id"
    )
    for status, tier_id, previous_tier_id in rows:
        words = rules.renewal_response(
            status=status, tier_id=tier_id, previous_tier_id=previous_tier_id
        )
        counts[words] = counts.get(words, 0) + 1
    return counts


def expressions_for_list():
    return ExpressionOfInterest.objects.select_related(
        "school", "year", "preferred_tier", "submitted_by"
    )


def interest_totals(year):
    """Planning totals for the year: schools by intent, and by preferred tier for yes/maybe."""
    rows = ExpressionOfInterest.objects.filter(year=year)
    by_intent = dict(rows.values_list("intent").annotate(n=Count("pk")).values_list("intent", "n"))
    by_tier = (
        rows.exclude(intent=ExpressionOfInterest.Intent.NO)
        .values("preferred_tier__name")
        .annotate(
            yes=Count("pk", filter=Q(intent="yes")), maybe=Count("pk", filter=Q(intent="maybe"))
        )
        .order_by("preferred_tier__order", "preferred_tier__name")
    )
    return {
        "intents": [
            (label, by_intent.get(value, 0)) for value, label in ExpressionOfInterest.Intent.choices
        ],
        "by_tier": [
            {
                "tier": row["preferred_tier__name"] or "No preference",
                "yes": row["yes"],
                "maybe": row["maybe"],
            }
            for row in by_tier
        ],
    }


def pending_approvals(limit=10):
    return (
        Membership.objects.filter(status=Status.PENDING)
        .select_related("school", "tier", "year")
        .order_by("signed_at")[:limit]
    )


def pending_approval_count():
    return Membership.objects.filter(status=Status.PENDING).count()


# --- The fee schedule: what every open school would pay -------------------------------------------


@dataclass
class ScheduleRow:
    school: School
    pupils: int | None
    quotes: list  # one FeeQuote per scheme, in the schedule's scheme order


@dataclass
class FeeSchedule:
    year: MembershipYear
    schemes: list
    rows: list
    tier_totals: list  # Decimal per scheme
    tier_errors: list  # schools with no fee, per scheme
    category_totals: list  # (label, [Decimal per scheme])


def fee_schedule(*, year, tier_codes=None, joined_on=None) -> FeeSchedule:
    """Every open school's fee under each tier's scheme for the year, with totals per tier and
    per category. Two queries (schemes, schools with their census pupils) for any number of
    schools and tiers; the fees themselves are pure calculation."""
    schemes = (
        FeeScheme.objects.filter(year=year)
        .select_related("tier", "year")
        .order_by("tier__order", "tier__name")
    )
    if tier_codes is not None:
        schemes = schemes.filter(tier__code__in=tier_codes)
    schemes = list(schemes)
    terms = [scheme.terms() for scheme in schemes]
    schools = School.objects.open().with_pupils_at(year.census_date).order_by("urn")
    rows = []
    tier_totals = [Decimal("0")] * len(schemes)
    tier_errors = [0] * len(schemes)
    by_category = defaultdict(lambda: [Decimal("0")] * len(schemes))
    for school in schools:
        quotes = []
        for index, scheme_terms in enumerate(terms):
            quote = rules.quote_fee(
                scheme_terms,
                pupils=school.pupils,
                category=school.category or None,
                census_date=year.census_date,
                year=year.period,
                joined_on=joined_on,
            )
            quotes.append(quote)
            if quote.ok:
                tier_totals[index] += quote.amount
                by_category[school.category][index] += quote.amount
            else:
                tier_errors[index] += 1
        rows.append(ScheduleRow(school=school, pupils=school.pupils, quotes=quotes))
    labels = dict(Category.choices) | {"": "No category"}
    category_totals = [
        (labels.get(category, category), totals)
        for category, totals in sorted(
            by_category.items(),
            key=lambda item: list(labels).index(item[0]) if item[0] in labels else 99,
        )
    ]
    return FeeSchedule(
        year=year,
        schemes=schemes,
        rows=rows,
        tier_totals=tier_totals,
        tier_errors=tier_errors,
        category_totals=category_totals,
    )


FEE_SCHEDULE_HEADER = ["urn", "name", "category", "pupils", "tier", "fee", "basis"]


def fee_schedule_csv_rows(*, year, tier_code, joined_on=None):
    """The fee schedule export for one tier: header, then one row per open school by URN.
    A school whose fee cannot be computed has an empty fee and the reason as its basis."""
    from partnership.money import csv_money

    schedule = fee_schedule(year=year, tier_codes=[tier_code], joined_on=joined_on)
    if not schedule.schemes:
        raise LookupError(f"no fee scheme for tier {tier_code!r} in {year}")
    rows = [FEE_SCHEDULE_HEADER]
    for row in schedule.rows:
        quote = row.quotes[0]
        rows.append(
            [
                row.school.urn,
                row.school.name,
                row.school.category,
                "" if row.pupils is None else str(row.pupils),
                tier_code,
                csv_money(quote.amount) if quote.ok else "",
                quote.basis,
            ]
        )
    return rows


# Memberships still to be run, decided or billed: a school that closes must settle them.
OPEN_STATUSES = (Status.INTERESTED, Status.PENDING, Status.ACTIVE)
GIAS_CLOSING = "Open, but proposed to close"


@dataclass
class ClosingSchool:
    """A school closed (or proposed to close) in GIAS that still has open work here."""

    school: School
    memberships: list
    bookings: list

    @property
    def conversion(self):
        return self.school.conversion()


def closing_schools_with_open_work(today: date | None = None) -> list[ClosingSchool]:
    """Schools closed in GIAS, or proposed to close, with a membership of a year not yet
    ended that is still interested, awaiting approval or active, or a booking not yet
    delivered or cancelled: what the coordinator must settle (withdraw, cancel, or move
    to the academy the school became). A fixed number of queries, however many schools."""
    from django.db.models import Prefetch

    from offers.models import Booking

    today = today or date.today()
    years = [year.pk for year in MembershipYear.objects.all() if year.ends_on >= today]
    open_memberships = Membership.objects.filter(year__in=years, status__in=OPEN_STATUSES)
    open_bookings = Booking.objects.filter(
        status__in=(
            Booking.Status.REQUESTED,
            Booking.Status.CONFIRMED,
            Booking.Status.WAITING,
            Booking.Status.OFFERED,
        )
    )
    closing = (
        Q(status=School.Status.CLOSED) | Q(gias_status=GIAS_CLOSING) | Q(closed_on__isnull=False)
    )
    schools = (
        School.objects.filter(closing)
        .filter(
            Q(Exists(open_memberships.filter(school=OuterRef("pk"))))
            | Q(Exists(open_bookings.filter(school=OuterRef("pk"))))
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=open_memberships.select_related("year", "tier").order_by(
                    "year__academic_year"
                ),
                to_attr="open_memberships",
            ),
            Prefetch(
                "bookings",
                queryset=open_bookings.select_related("offer", "session").order_by("created"),
                to_attr="open_bookings",
            ),
            "successors",
        )
        .order_by("closed_on", "name")
    )
    return [
        ClosingSchool(school=s, memberships=s.open_memberships, bookings=s.open_bookings)
        for s in schools
    ]
