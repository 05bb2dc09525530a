"""What other apps read from offers. Finance calls these to invoice and cost deliveries.

They return plain dataclasses (or a total) so finance never reaches into offers' models:
a booking's frozen price and a deployment's frozen cost are all it needs.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from partnership.money import money

from .models import Booking, CommissionedPackage, DelegatePlace, Deployment

SCHOOL = "school"
LA = "la"


@dataclass(frozen=True)
class ChargeableDelivery:
    """One line to charge: a delivered booking, a cancellation charge or LA-commissioned support."""

    reference: str
    school: object
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal | None
    purchase_order: str
    delivered_on: date
    payer: str


@dataclass(frozen=True)
class DeploymentCost:
    """A delivered deployment's frozen cost, for the trading account's expenditure."""

    reference: str
    description: str
    delivered_on: date
    amount: Decimal
    practitioner_name: str
    commissioned: bool
    cost_line: str = ""  # the budget line's code, from the offer


@dataclass(frozen=True)
class HomeSchoolPaymentDue:
    """A delivered deployment's payment to the practitioner's home school, as frozen."""

    reference: str
    home_school: object
    practitioner_name: str
    designation: str
    description: str
    delivered_on: date
    days: Decimal
    day_rate: Decimal
    home_school_percent: Decimal
    amount: Decimal
    cost_line: str = ""


def _units(value: Decimal) -> str:
    return f"{value.normalize():f}"


def chargeable_deliveries(start: date, end: date) -> list[ChargeableDelivery]:
    """Deliveries to charge between start and end (inclusive), oldest first.

    Delivered bookings with charged units (units − included units − CPD places cancelled
    late, which are charged on their own line) > 0, at the unit price frozen when booked,
    paid by the school; cancellation charges (> 0) on the day of cancellation, paid by the
    school; the charges (> 0) for CPD places missed, frozen when the register was taken,
    on the session's date, paid by the school; delivered commissioned packages, paid by
    the LA. References are stable ("booking:12", "cancellation:12", "attendance:7",
    "package:3") so a run twice never charges anything twice.
    """
    lines = []
    delivered = (
        # A place on a free course is not worth a £0.00 line; its no-show charge has its own.
        Booking.objects.filter(
            status=Booking.Status.DELIVERED, delivered_on__range=(start, end), unit_price__gt=0
        )
        .annotate(replaced=Count("delegates", filter=Q(delegates__place_charge_replaced=True)))
        .select_related("school", "offer")
        .order_by("delivered_on", "pk")
    )
    for booking in delivered:
        quantity = booking.units - booking.included_units - booking.replaced
        if quantity <= 0:
            continue
        included = (
            f", {_units(booking.included_units)} included in membership"
            if booking.included_units
            else ""
        )
        lines.append(
            ChargeableDelivery(
                reference=f"booking:{booking.pk}",
                school=booking.school,
                description=(
                    f"{booking.offer.name}: {_units(booking.units)} {booking.offer.unit}"
                    f"{'' if booking.units == 1 else 's'}{included} ({booking.reference})"
                ),
                quantity=quantity,
                unit_price=booking.unit_price,
                vat_rate=booking.offer.vat_rate,
                purchase_order=booking.purchase_order,
                delivered_on=booking.delivered_on,
                payer=SCHOOL,
            )
        )
    cancelled = (
        Booking.objects.filter(
            status=Booking.Status.CANCELLED,
            cancelled_on__range=(start, end),
            cancellation_charge__gt=0,
        )
        .select_related("school", "offer")
        .order_by("cancelled_on", "pk")
    )
    for booking in cancelled:
        lines.append(
            ChargeableDelivery(
                reference=f"cancellation:{booking.pk}",
                school=booking.school,
                description=f"Cancellation charge: {booking.offer.name} ({booking.reference})",
                quantity=Decimal("1"),
                unit_price=booking.cancellation_charge,
                vat_rate=booking.offer.vat_rate,
                purchase_order=booking.purchase_order,
                delivered_on=booking.cancelled_on,
                payer=SCHOOL,
            )
        )
    missed = (
        DelegatePlace.objects.filter(
            booking__status=Booking.Status.DELIVERED,
            session__date__range=(start, end),
            attendance_charge__gt=0,
        )
        .select_related("booking__school", "booking__offer", "session")
        .order_by("session__date", "pk")
    )
    for place in missed:
        booking = place.booking
        lines.append(
            ChargeableDelivery(
                reference=f"attendance:{place.pk}",
                school=booking.school,
                description=(
                    f"{place.get_attendance_display()}: {place.delegate_name or 'a delegate'}, "
                    f"{place.session.name} ({booking.reference})"
                ),
                quantity=Decimal("1"),
                unit_price=place.attendance_charge,
                vat_rate=booking.offer.vat_rate,
                purchase_order=booking.purchase_order,
                delivered_on=place.session.date,
                payer=SCHOOL,
            )
        )
    packages = (
        CommissionedPackage.objects.filter(
            status=CommissionedPackage.Status.DELIVERED, delivered_on__range=(start, end)
        )
        .select_related("school", "offer")
        .order_by("delivered_on", "pk")
    )
    for package in packages:
        lines.append(
            ChargeableDelivery(
                reference=f"package:{package.pk}",
                school=package.school,
                description=(
                    f"LA-commissioned support: {package.offer.name} for {package.school.name}, "
                    f"{_units(package.units)} {package.offer.unit}"
                    f"{'' if package.units == 1 else 's'} ({package.reference})"
                ),
                quantity=package.units,
                unit_price=package.unit_price,
                vat_rate=package.offer.vat_rate,
                purchase_order="",
                delivered_on=package.delivered_on,
                payer=LA,
            )
        )
    return sorted(lines, key=lambda line: (line.delivered_on, line.reference))


def school_charges_total(start: date, end: date) -> Decimal:
    """What `chargeable_deliveries` charges schools between start and end, in total.

    The same lines (charged units of delivered bookings, cancellation charges, missed CPD
    places), each rounded to the penny as its invoice line is, but counted in the database:
    one row per distinct quantity and price, whatever the number of bookings.
    """
    delivered = (
        Booking.objects.filter(
            status=Booking.Status.DELIVERED,
            delivered_on__range=(start, end),
            units__gt=F("included_units"),
        )
        .order_by()
        .values_list("units", "included_units", "unit_price")
        .annotate(lines=Count("pk"))
    )
    # A CPD place cancelled late comes off its booking's line at the booking's unit price
    # (places are whole units, so taking it off after rounding gives the same pennies).
    replaced = DelegatePlace.objects.filter(
        booking__status=Booking.Status.DELIVERED,
        booking__delivered_on__range=(start, end),
        place_charge_replaced=True,
    ).aggregate(total=Sum("booking__unit_price"))["total"] or Decimal("0")
    missed = (
        DelegatePlace.objects.filter(
            booking__status=Booking.Status.DELIVERED,
            session__date__range=(start, end),
            attendance_charge__gt=0,
        )
        .order_by()
        .values_list("attendance_charge")
        .annotate(lines=Count("pk"))
    )
    cancelled = (
        Booking.objects.filter(
            status=Booking.Status.CANCELLED,
            cancelled_on__range=(start, end),
            cancellation_charge__gt=0,
        )
        .order_by()
        .values_list("cancellation_charge")
        .annotate(lines=Count("pk"))
    )
    total = sum(
        (money((units - included) * price) * lines for units, included, price, lines in delivered),
        Decimal("0.00"),
    )
    total -= money(replaced)
    total += sum((money(charge) * lines for charge, lines in missed), Decimal("0.00"))
    return total + sum((money(charge) * lines for charge, lines in cancelled), Decimal("0.00"))


def delivered_deployment_costs(start: date, end: date) -> list[DeploymentCost]:
    """Delivered deployments between start and end (inclusive) with their frozen costs:
    those whose cost is a payment to the practitioner's home school are paid through
    `home_school_payments_due` instead, never both."""
    deployments = (
        Deployment.objects.filter(
            status=Deployment.Status.DELIVERED,
            delivered_on__range=(start, end),
            home_school_payment__isnull=True,
        )
        .select_related(
            "practitioner", "booking__school", "booking__offer", "package__school", "package__offer"
        )
        .order_by("delivered_on", "pk")
    )
    return [
        DeploymentCost(
            reference=f"deployment:{deployment.pk}",
            description=(
                f"{deployment.practitioner.name}, {_units(deployment.days)} "
                f"day{'' if deployment.days == 1 else 's'}: {deployment.offer.name} "
                f"at {deployment.school.name}"
            ),
            delivered_on=deployment.delivered_on,
            amount=deployment.cost,
            practitioner_name=deployment.practitioner.name,
            commissioned=deployment.commissioned,
            cost_line=deployment.offer.cost_line,
        )
        for deployment in deployments
    ]


def _deployment_words(deployment) -> str:
    return (
        f"{deployment.practitioner.name}, {_units(deployment.days)} "
        f"day{'' if deployment.days == 1 else 's'}: {deployment.offer.name} "
        f"at {deployment.school.name}"
    )


def home_school_payments_due(start: date, end: date) -> list[HomeSchoolPaymentDue]:
    """Delivered deployments between start and end (inclusive) that pay the practitioner's
    home school its share of the day rate, with the figures frozen at delivery."""
    deployments = (
        Deployment.objects.filter(
            status=Deployment.Status.DELIVERED,
            delivered_on__range=(start, end),
            home_school_payment__isnull=False,
        )
        .select_related(
            "practitioner",
            "home_school",
            "booking__school",
            "booking__offer",
            "package__school",
            "package__offer",
        )
        .order_by("delivered_on", "pk")
    )
    return [
        HomeSchoolPaymentDue(
            reference=f"deployment:{deployment.pk}",
            home_school=deployment.home_school,
            practitioner_name=deployment.practitioner.name,
            designation=deployment.practitioner.designation,
            description=_deployment_words(deployment),
            delivered_on=deployment.delivered_on,
            days=deployment.days,
            day_rate=deployment.day_rate,
            home_school_percent=deployment.home_school_percent,
            amount=deployment.home_school_payment,
            cost_line=deployment.offer.cost_line,
        )
        for deployment in deployments
    ]
