"""Writes for bookings, waiting lists, deployments and commissioned packages.

Every function runs in one transaction. Capacity is decided under a row lock on the
offer (`select_for_update`) and practitioner days under a row lock on the
practitioner, so two people pressing "Book" or "Deploy" at the same moment are
served one after the other and never both get the last place or the same day.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from partnership.calendars import AcademicYear
from partnership.money import money
from partnership.roles import Role

from . import rules_bookings as rules
from .membership_port import member_tier
from .models import (
    Booking,
    CommissionedPackage,
    CourseSession,
    DelegatePlace,
    Deployment,
    DeploymentDay,
    Offer,
    OfferCancellationPolicy,
    Practitioner,
    TierInclusion,
)
from .selectors_catalogue import offer_la_price, offer_school_price
from .services_brokerage import freeze_delivery_cost
from .tasks import send_booking_confirmation_email

ZERO = Decimal("0")


def _number(value: Decimal) -> str:
    """2, 1.5 or 0 in messages, however many decimal places the database returned."""
    return f"{Decimal(value).normalize():f}"


def current_academic_year(today: date | None = None) -> str:
    return str(AcademicYear.containing(today or timezone.localdate()))


@dataclass(frozen=True)
class BookingQuote:
    """What a school will pay for a booking, worked out before it confirms."""

    school: object
    offer: Offer
    academic_year: str
    units: Decimal
    is_member: bool
    tier_name: str
    unit_price: Decimal | None
    price_reason: str
    included_left: Decimal
    included_units: Decimal
    inclusion: Decimal
    capacity_left: Decimal | None
    policy: OfferCancellationPolicy | None

    @property
    def charged_units(self) -> Decimal:
        return self.units - self.included_units

    @property
    def inclusion_used(self) -> Decimal:
        """Included units used this year once this booking is made ("1 of 1 used")."""
        return self.inclusion - self.included_left + self.included_units

    @property
    def inclusion_exhausted(self) -> bool:
        """The tier includes this offer but every included unit was used by earlier bookings."""
        return self.inclusion > 0 and self.included_left == 0

    @property
    def charge(self) -> Decimal:
        return rules.booking_charge(
            units=self.units, included_units=self.included_units, unit_price=self.unit_price
        )

    @property
    def will_wait(self) -> bool:
        return not rules.fits(units=self.units, left=self.capacity_left)

    @property
    def confirmed_on_booking(self) -> bool:
        # Offers with a set capacity are confirmed as soon as a place is held; open-ended
        # support waits for the coordinator to check a practitioner can be found.
        return self.capacity_left is not None and not self.will_wait


def _policy(offer):
    return OfferCancellationPolicy.objects.filter(offer=offer).first()


def capacity_taken(offer, academic_year) -> Decimal:
    """Units of the offer held this year: live bookings plus LA-commissioned packages."""
    booked = (
        Booking.objects.filter(
            offer=offer, academic_year=academic_year, status__in=Booking.HOLDING
        ).aggregate(total=Sum("units"))["total"]
        or ZERO
    )
    commissioned = (
        CommissionedPackage.objects.filter(offer=offer, academic_year=academic_year)
        .exclude(status=CommissionedPackage.Status.CANCELLED)
        .aggregate(total=Sum("units"))["total"]
        or ZERO
    )
    return booked + commissioned


def places_taken(session) -> Decimal:
    return (
        Booking.objects.filter(session=session, status__in=Booking.HOLDING).aggregate(
            total=Sum("units")
        )["total"]
        or ZERO
    )


def capacity_left_for(offer, academic_year, session=None) -> Decimal | None:
    """Units still bookable: the tighter of the offer's yearly capacity and the session's places."""
    left = rules.capacity_left(capacity=offer.capacity, taken=capacity_taken(offer, academic_year))
    if session is not None:
        session_left = rules.capacity_left(capacity=session.places, taken=places_taken(session))
        left = session_left if left is None else min(left, session_left)
    return left


def included_units_used(school, offer, academic_year, exclude=None) -> Decimal:
    bookings = Booking.objects.filter(school=school, offer=offer, academic_year=academic_year)
    bookings = bookings.exclude(status=Booking.Status.CANCELLED)
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    return bookings.aggregate(total=Sum("included_units"))["total"] or ZERO


def quote_booking(*, school, offer, units, academic_year=None, session=None) -> BookingQuote:
    """Price a booking for this school without saving anything.

    The unit price is the member price for the school's category when the school holds
    a signed membership this academic year (approved or awaiting approval), otherwise
    the non-member price. Units the tier
    includes, less those already used this year, are used first and cost nothing.
    """
    academic_year = academic_year or current_academic_year()
    units = Decimal(units)
    tier = member_tier(school, academic_year)
    price = offer_school_price(offer, category=school.category, member=tier is not None)
    inclusion = ZERO
    if tier is not None:
        inclusion = (
            TierInclusion.objects.filter(tier=tier, offer=offer)
            .values_list("units", flat=True)
            .first()
            or ZERO
        )
    left = rules.included_units_left(
        inclusion=inclusion, already_used=included_units_used(school, offer, academic_year)
    )
    return BookingQuote(
        school=school,
        offer=offer,
        academic_year=academic_year,
        units=units,
        is_member=tier is not None,
        tier_name=tier.name if tier is not None else "",
        unit_price=price.amount,
        price_reason=price.reason,
        included_left=left,
        included_units=rules.units_included(units=units, included_left=left),
        inclusion=Decimal(inclusion),
        capacity_left=capacity_left_for(offer, academic_year, session),
        policy=_policy(offer),
    )


def check_bookable(*, school, offer, units, session=None):
    """Refusals a school sees before anything is saved."""
    problems = []
    if not offer.active:
        problems.append(f"{offer.name} is no longer offered")
    if offer.phases and school.category not in offer.phases:
        problems.append(
            f"{offer.name} is not offered to {school.get_category_display() or 'this'} schools"
        )
    units = Decimal(units)
    if units <= 0:
        problems.append("Enter a number of units greater than 0")
    elif offer.unit != Offer.Unit.DAY and units % 1 != 0:
        problems.append(f"Book a whole number of {offer.get_unit_display()}s")
    elif units % Decimal("0.5") != 0:
        problems.append("Book whole or half days")
    if session is not None and session.offer_id != offer.pk:
        problems.append("That session is not part of this course")
    too_many = rules.capacity_problem(
        units=units,
        capacity=offer.capacity,
        places=session.places if session is not None else None,
        unit=offer.get_unit_display(),
    )
    if too_many:
        problems.append(too_many)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def book(
    *,
    school,
    offer,
    units,
    by,
    academic_year=None,
    purchase_order="",
    preferred_start=None,
    preferred_dates="",
    notes="",
    session=None,
    delegates=(),
) -> Booking:
    """Book additional support for a school, at the price quoted to it.

    Capacity is checked under a lock on the offer row: while the offer (or the CPD
    session) has room the booking holds its units, otherwise the school joins the
    waiting list behind those already on it. A booking of an offer with a set capacity
    is confirmed at once; other bookings wait for the coordinator to confirm them.
    """
    academic_year = academic_year or current_academic_year()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if session is not None:
        session = CourseSession.objects.get(pk=session.pk)
    check_bookable(school=school, offer=offer, units=units, session=session)
    quote = quote_booking(
        school=school, offer=offer, units=units, academic_year=academic_year, session=session
    )
    if quote.unit_price is None:
        raise ValidationError(f"{offer.name} cannot be booked: {quote.price_reason}")
    if preferred_start is not None:
        problem = rules.date_in_year_problem(
            preferred_start,
            year=AcademicYear.parse(academic_year),
            field="The preferred first date",
        )
        if problem:
            raise ValidationError(problem)
    now = timezone.now()
    booking = Booking(
        school=school,
        offer=offer,
        session=session,
        academic_year=academic_year,
        units=quote.units,
        included_units=quote.included_units,
        unit_price=money(quote.unit_price),
        is_member=quote.is_member,
        tier_name=quote.tier_name,
        purchase_order=purchase_order.strip(),
        preferred_start=preferred_start,
        preferred_dates=preferred_dates.strip(),
        notes=notes.strip(),
        booked_by=by,
    )
    if quote.will_wait:
        booking.status = Booking.Status.WAITING
        booking.waiting_position = _next_waiting_position(offer, academic_year, session)
    elif quote.confirmed_on_booking:
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
    else:
        booking.status = Booking.Status.REQUESTED
    booking.save()
    if booking.status == Booking.Status.WAITING:
        from .services_waiting import joined

        joined(booking)
    DelegatePlace.objects.bulk_create(
        DelegatePlace(booking=booking, session=session, delegate_name=name.strip())
        if isinstance(name, str)
        else DelegatePlace(
            booking=booking,
            session=session,
            delegate_name=name.name.strip(),
            delegate_email=name.email.strip().lower(),
        )
        for name in delegates
    )
    _confirm_by_email(booking)
    return booking


def _confirm_by_email(booking):
    """Email the booking's confirmation (copying the school's CPD lead) once it is committed."""
    transaction.on_commit(
        lambda pk=booking.pk, status=booking.status: send_booking_confirmation_email.delay(
            pk, status
        )
    )


@dataclass(frozen=True)
class Repricing:
    """A booking priced again for a membership approved after it was made."""

    booking: Booking
    was_charge: Decimal
    now_charge: Decimal

    @property
    def reduction(self) -> Decimal:
        return self.was_charge - self.now_charge


@transaction.atomic
def reprice_for_membership(*, school, academic_year, tier, since) -> list[Repricing]:
    """Price again the bookings a school made while its membership awaited approval.

    Bookings of the year made from `since` (when the school signed) and not cancelled
    are priced as the tier prices them: the member price for the school's category, and
    the tier's included units not yet used by any booking, given in the order booked.
    No booking loses units it already holds, and a booking is changed only when that
    lowers its charge: approval never raises what a school was told it pays. Each change
    is kept in the booking's history; returned so finance can credit what was invoiced.
    """
    bookings = list(
        Booking.objects.select_for_update()
        .filter(school=school, academic_year=academic_year, created__gte=since)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("offer")
        .order_by("created", "pk")
    )
    left = {
        offer_id: rules.included_units_left(
            inclusion=units,
            already_used=included_units_used(school, offer_id, academic_year),
        )
        for offer_id, units in TierInclusion.objects.filter(
            tier=tier, offer__in={b.offer_id for b in bookings}
        ).values_list("offer_id", "units")
    }
    changed = []
    for booking in bookings:
        price = offer_school_price(booking.offer, category=school.category, member=True)
        unit_price = money(price.amount) if price.available else booking.unit_price
        added = rules.units_included(
            units=booking.charged_units, included_left=left.get(booking.offer_id, ZERO)
        )
        was = rules.booking_charge(
            units=booking.units,
            included_units=booking.included_units,
            unit_price=booking.unit_price,
        )
        now = rules.booking_charge(
            units=booking.units,
            included_units=booking.included_units + added,
            unit_price=unit_price,
        )
        if now >= was:
            continue
        if added:
            left[booking.offer_id] -= added
        booking.included_units += added
        booking.unit_price = unit_price
        booking.is_member = True
        booking.tier_name = tier.name
        booking._change_reason = f"Re-priced for the approved {tier.name}"
        booking.save()
        changed.append(Repricing(booking=booking, was_charge=was, now_charge=now))
    return changed


def book_places(
    *, school, session, delegates, by, purchase_order="", notes="", unnamed=0
) -> Booking:
    """Book one CPD place per delegate on a session, and `unnamed` places to name later.

    A delegate is a name, or a name and email address (`services_attendance.Delegate`);
    the same person twice in one booking (by name or email) is refused.
    """
    from .services_attendance import Delegate, duplicate_delegate_problems

    people = [
        Delegate(d.strip()) if isinstance(d, str) else Delegate(d.name.strip(), d.email.strip())
        for d in delegates
    ]
    people = [Delegate(d.name, d.email.lower()) for d in people if d.name]
    if not people and not unnamed:
        raise ValidationError("Enter the name of at least one delegate")
    problems = duplicate_delegate_problems(people)
    if problems:
        raise ValidationError(problems)
    return book(
        school=school,
        offer=session.offer,
        units=len(people) + unnamed,
        by=by,
        academic_year=current_academic_year(session.date),
        purchase_order=purchase_order,
        preferred_start=session.date,
        notes=notes,
        session=session,
        delegates=[*people, *[Delegate("")] * unnamed],
    )


def _next_waiting_position(offer, academic_year, session):
    waiting = Booking.objects.filter(
        offer=offer, academic_year=academic_year, session=session, status=Booking.Status.WAITING
    )
    return (waiting.aggregate(last=Max("waiting_position"))["last"] or 0) + 1


def _renumber_waiting_list(offer, academic_year, session):
    waiting = Booking.objects.filter(
        offer=offer, academic_year=academic_year, session=session, status=Booking.Status.WAITING
    ).order_by("waiting_position", "created", "pk")
    for position, booking in enumerate(waiting, start=1):
        if booking.waiting_position != position:
            booking.waiting_position = position
            booking.save(update_fields=["waiting_position"])


def first_date(booking) -> date | None:
    """The first date of the support: a deployment day, the CPD session, or the preferred date."""
    candidates = [
        day
        for day in DeploymentDay.objects.filter(deployment__booking=booking, active=True)
        .order_by("date")
        .values_list("date", flat=True)[:1]
    ]
    if booking.session_id:
        candidates.append(booking.session.date)
    if booking.preferred_start:
        candidates.append(booking.preferred_start)
    return min(candidates) if candidates else None


def cancellation_charge_for(booking, today: date) -> Decimal:
    """What cancelling today would cost: nothing for a waiting booking or a place offered
    and not yet accepted, else the offer's policy."""
    if booking.status in (Booking.Status.WAITING, Booking.Status.OFFERED):
        return money(0)
    policy = _policy(booking.offer)
    return rules.cancellation_charge(
        charge=rules.booking_charge(
            units=booking.units,
            included_units=booking.included_units,
            unit_price=booking.unit_price,
        ),
        first_date=first_date(booking),
        today=today,
        free_until_days=policy.free_until_days if policy else None,
        charge_percent=policy.charge_percent if policy else None,
    )


@transaction.atomic
def cancel(*, booking, by, today: date | None = None) -> Booking:
    """Cancel a booking, freezing the cancellation charge and offering the place on.

    The charge follows the offer's policy (free until N days before the first date,
    then a percentage); a waiting booking, or a place offered and not yet accepted, is
    cancelled free. Planned deployments are cancelled. The freed units are offered to the
    waiting list in order, each held for the school for the partnership's hours
    (`services_waiting.offer_freed_places`), and the school emailed once committed.
    """
    today = today or timezone.localdate()
    Offer.objects.select_for_update().get(pk=booking.offer_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.DELIVERED):
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()} and cannot be cancelled"
        )
    was_holding = booking.status in Booking.HOLDING
    if booking.status in (Booking.Status.WAITING, Booking.Status.OFFERED):
        from .services_waiting import left_waiting_list

        left_waiting_list(booking, by)
    booking.cancellation_charge = cancellation_charge_for(booking, today)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_on = today
    booking.cancelled_by = by
    booking.waiting_position = None
    booking.save()
    for deployment in booking.deployments.filter(status=Deployment.Status.PLANNED):
        _cancel_deployment(deployment)
    if was_holding:
        offer_freed_places(booking.offer, booking.academic_year, booking.session)
    _renumber_waiting_list(booking.offer, booking.academic_year, booking.session)
    return booking


def offer_freed_places(offer, academic_year, session=None) -> list[Booking]:
    """Offer freed places to the waiting list in order (`services_waiting`)."""
    from .services_waiting import offer_freed_places

    return offer_freed_places(offer, academic_year, session)


@transaction.atomic
def confirm(*, booking, by) -> Booking:
    """The coordinator confirms a requested booking once the support can be arranged."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(
            "Only requested bookings can be confirmed; this one is "
            f"{booking.get_status_display().lower()}"
        )
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_by = by
    booking.confirmed_at = timezone.now()
    booking.save()
    _confirm_by_email(booking)
    return booking


def _work_for_update(work):
    model = type(work)
    return model.objects.select_for_update().select_related("school", "offer").get(pk=work.pk)


def _check_deployable(work):
    if isinstance(work, Booking):
        if work.status != Booking.Status.CONFIRMED:
            raise ValidationError(
                f"Only confirmed bookings can have practitioners deployed; this one is "
                f"{work.get_status_display().lower()}"
            )
    elif work.status != CommissionedPackage.Status.COMMISSIONED:
        raise ValidationError(
            f"This package is {work.get_status_display().lower()}; no more deployments can be made"
        )


def days_deployed(practitioner, academic_year) -> Decimal:
    return (
        Deployment.objects.filter(practitioner=practitioner, academic_year=academic_year)
        .exclude(status=Deployment.Status.CANCELLED)
        .aggregate(total=Sum("days"))["total"]
        or ZERO
    )


@transaction.atomic
def deploy(*, work, practitioner, dates, days, by) -> Deployment:
    """Deploy a practitioner to a confirmed booking or a commissioned package.

    Refused when the days would take the practitioner beyond their days available in
    the academic year (counting every deployment not cancelled), or when they are
    already deployed on one of the dates. Decided under a lock on the practitioner row.
    """
    days = Decimal(days)
    dates = sorted(set(dates))
    work = _work_for_update(work)
    _check_deployable(work)
    year = AcademicYear.parse(work.academic_year)
    problems = []
    if not rules.is_whole_or_half(days):
        problems.append("Enter days as whole or half days, for example 1 or 1.5")
    elif len(dates) != rules.dates_needed(days):
        problems.append(
            f"Give one date for each day or half-day: {_number(days)} days need "
            f"{rules.dates_needed(days)} date{'s' if rules.dates_needed(days) != 1 else ''}"
        )
    outside = [d for d in dates if not year.starts_on <= d <= year.ends_on]
    if outside:
        problems.append(f"{outside[0]:%-d %B %Y} is outside the academic year {work.academic_year}")
    weekend = [d for d in dates if d.weekday() >= 5]
    if weekend:
        problems.append(f"{weekend[0]:%-d %B %Y} is a weekend")
    if problems:
        raise ValidationError(problems)
    practitioner = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    if not practitioner.active:
        raise ValidationError(f"{practitioner.name} is not an active practitioner")
    left = rules.days_left(
        days_available=practitioner.days_available,
        days_deployed=days_deployed(practitioner, work.academic_year),
    )
    if days > left:
        raise ValidationError(
            f"{practitioner.name} has {_number(max(left, ZERO))} days left in "
            f"{work.academic_year}; "
            f"this deployment needs {_number(days)}"
        )
    clashes = list(
        DeploymentDay.objects.filter(practitioner=practitioner, date__in=dates, active=True)
        .select_related("deployment__booking__school", "deployment__package__school")
        .order_by("date")
    )
    if clashes:
        clash = clashes[0]
        raise ValidationError(
            f"{practitioner.name} is already deployed on {clash.date:%-d %B %Y} "
            f"(at {clash.deployment.school.name})"
        )
    deployment = Deployment.objects.create(
        booking=work if isinstance(work, Booking) else None,
        package=work if isinstance(work, CommissionedPackage) else None,
        practitioner=practitioner,
        academic_year=work.academic_year,
        days=days,
        deployed_by=by,
    )
    try:
        with transaction.atomic():
            DeploymentDay.objects.bulk_create(
                DeploymentDay(deployment=deployment, practitioner=practitioner, date=d)
                for d in dates
            )
    except IntegrityError as exc:
        # Only reachable if a deployment bypassed the practitioner lock.
        raise ValidationError(
            f"{practitioner.name} is already deployed on one of those dates"
        ) from exc
    return deployment


def _cancel_deployment(deployment):
    deployment.status = Deployment.Status.CANCELLED
    deployment.save()
    deployment.dates.update(active=False)


def may_confirm_delivery(user, deployment) -> bool:
    """Practitioners confirm their own days; the coordinator may confirm anyone's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return (
        user.role == Role.PRACTITIONER
        and deployment.practitioner.user_id is not None
        and deployment.practitioner.user_id == user.pk
    )


@transaction.atomic
def record_delivery(*, deployment, by, today: date | None = None) -> Deployment:
    """Record a deployment's days as delivered, freezing its cost.

    The cost is fixed by `freeze_delivery_cost` (the day cost, or the home school's share
    of the designation's day rate). A booking (or package)
    is delivered once nothing planned remains and its delivered days cover what it
    needs; it is delivered on the last delivered day.
    """
    today = today or timezone.localdate()
    # Lock the booking (or package) before the deployment, in the same order as cancel().
    _work_for_update(Deployment.objects.get(pk=deployment.pk).work)
    deployment = (
        Deployment.objects.select_for_update().select_related("practitioner").get(pk=deployment.pk)
    )
    if not may_confirm_delivery(by, deployment):
        raise PermissionDenied
    if deployment.status != Deployment.Status.PLANNED:
        raise ValidationError(
            f"This deployment is {deployment.get_status_display().lower()} already"
        )
    last_day = deployment.dates.filter(active=True).aggregate(last=Max("date"))["last"]
    if last_day is None or last_day > today:
        raise ValidationError(
            f"Days can be confirmed once they have happened: the last day is {last_day:%-d %B %Y}"
        )
    deployment.status = Deployment.Status.DELIVERED
    deployment.delivered_on = last_day
    deployment.confirmed_by = by
    freeze_delivery_cost(deployment)
    deployment.save()
    _deliver_work_if_complete(deployment.work)
    return deployment


def _deliver_work_if_complete(work):
    work = _work_for_update(work)
    deployments = work.deployments.exclude(status=Deployment.Status.CANCELLED)
    if deployments.filter(status=Deployment.Status.PLANNED).exists():
        return
    delivered = deployments.filter(status=Deployment.Status.DELIVERED).aggregate(
        days=Sum("days"), last=Max("delivered_on"), count=Count("pk")
    )
    if not rules.work_delivered(
        unit=work.offer.unit,
        units=work.units,
        days_delivered=delivered["days"] or ZERO,
        deliveries=delivered["count"],
    ):
        return
    work.status = work.Status.DELIVERED
    work.delivered_on = delivered["last"]
    work.save()


@transaction.atomic
def mark_delivered(*, work, by, on: date) -> object:
    """The coordinator records delivery of work without deployments (places, networks)."""
    if by.role != Role.COORDINATOR:
        raise PermissionDenied
    work = _work_for_update(work)
    _check_deployable(work)
    if work.deployments.filter(status=Deployment.Status.PLANNED).exists():
        raise ValidationError("Record delivery of the planned deployments first")
    if on > timezone.localdate():
        raise ValidationError("The delivery date cannot be in the future")
    problem = rules.date_in_year_problem(
        on, year=AcademicYear.parse(work.academic_year), field="The delivery date"
    )
    if problem:
        raise ValidationError(problem)
    work.status = work.Status.DELIVERED
    work.delivered_on = on
    work.save()
    return work


REASON_REQUIRED = "Enter the reason the LA is commissioning this support"


@transaction.atomic
def commission(
    *, school, offer, units, budget, by, reason, academic_year=None, notes=""
) -> CommissionedPackage:
    """The LA commissions support for a school, at the offer's LA price.

    Any offer, for any school: a school causing concern or not (Harrow's LA also paid for
    NQT induction and early years, Camden's for a wide range), so the reason is required
    and kept. The LA pays, not the school: the package's cost (units × the LA price for
    the school's category, which is the member price when the offer has no LA price) must
    fit the budget set for it, and it takes the offer's capacity like a booking (no
    waiting list: the LA is told there is no room). Once delivered, the monthly run
    invoices it to the LA.
    """
    academic_year = academic_year or current_academic_year()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    units = Decimal(units)
    budget = money(budget)
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(REASON_REQUIRED)
    price = offer_la_price(offer, category=school.category)
    if not price.available:
        problems.append(f"{offer.name} cannot be commissioned: {price.reason}")
    if units <= 0:
        problems.append("Enter a number of units greater than 0")
    if problems:
        raise ValidationError(problems)
    cost = rules.booking_charge(units=units, included_units=ZERO, unit_price=price.amount)
    if cost > budget:
        raise ValidationError(
            f"{units} × £{money(price.amount):,} = £{cost:,} is more than the budget of £{budget:,}"
        )
    left = capacity_left_for(offer, academic_year)
    if not rules.fits(units=units, left=left):
        raise ValidationError(f"{offer.name} has {_number(left)} units left in {academic_year}")
    return CommissionedPackage.objects.create(
        school=school,
        offer=offer,
        academic_year=academic_year,
        units=units,
        unit_price=money(price.amount),
        budget=budget,
        reason=reason[:300],
        notes=notes.strip(),
        commissioned_by=by,
    )


REMOVED_DELEGATE_NAME = "Delegate (name removed)"


@transaction.atomic
def anonymise_delegates(*, sessions_before: date) -> int:
    """Remove the names of delegates on course sessions held before this date.

    The place, its booking and whatever was charged for it stay as they are: only the
    person's name goes. Running it again changes nothing (the names are already gone).
    """
    return (
        DelegatePlace.objects.filter(session__date__lt=sessions_before)
        .exclude(delegate_name=REMOVED_DELEGATE_NAME, delegate_email="")
        .update(delegate_name=REMOVED_DELEGATE_NAME, delegate_email="")
    )
