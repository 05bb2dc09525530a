"""Writes for memberships: loading years and fee schemes, signing, deciding, renewing.

Every change that depends on a row's current state locks it first (`select_for_update`)
so two people acting at once cannot, say, approve a withdrawn membership or sign twice.
"""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from offers.models import Offer, Tier, TierInclusion
from partnership.calendars import AcademicYear
from partnership.models import Partnership
from partnership.records import update_or_create_changed
from partnership.reminders import wants
from partnership.roles import Role
from schools.models import School
from schools.selectors import school_user_emails

from . import rules
from .models import (
    ExpressionOfInterest,
    FeeScheme,
    Membership,
    MembershipYear,
    RenewalReminder,
)
from .selectors import fee_quote, pupils_at_census
from .signals import membership_approved

Status = Membership.Status


class MembershipError(Exception):
    """A membership action that the rules do not allow; the message is shown to the person."""


def _status(membership):
    return membership.get_status_display().lower()


def today():
    return timezone.localdate()


# --- Set-up from the partnership file -------------------------------------------------


def refresh_current_year(on=None):
    """The current year is the one containing today; failing that the latest already begun,
    failing that the earliest loaded. A year loaded in advance (for renewals) waits its turn."""
    on = on or today()
    years = list(MembershipYear.objects.all())
    if not years:
        return None
    containing = [y for y in years if y.starts_on <= on <= y.ends_on]
    begun = [y for y in years if y.starts_on <= on]
    if containing:
        current = containing[0]
    elif begun:
        current = max(begun, key=lambda y: y.starts_on)
    else:
        current = min(years, key=lambda y: y.starts_on)
    MembershipYear.objects.exclude(pk=current.pk).filter(is_current=True).update(is_current=False)
    if not current.is_current:
        MembershipYear.objects.filter(pk=current.pk).update(is_current=True)
        current.is_current = True
    return current


def load_membership_year(*, academic_year, census_date, start_month=9, **window):
    """`window`: buy_back_opens and buy_back_closes, when the file sets them; a file without
    them leaves a window the coordinator set alone."""
    year, created = update_or_create_changed(
        MembershipYear,
        academic_year=academic_year,
        defaults={"census_date": census_date, "start_month": start_month, **window},
    )
    refresh_current_year()
    year.refresh_from_db()
    return year, created


def load_tier(*, code, name, description=None, order=0, includes=None):
    """Create or update a tier by code. `includes` None leaves its inclusions alone; a list
    (of {offer, units}) becomes exactly its inclusions."""
    defaults = {"name": name, "order": order, "active": True}
    if description is not None:
        defaults["description"] = description
    tier, created = update_or_create_changed(Tier, code=code, defaults=defaults)
    if includes is not None:
        offers = {o.code: o for o in Offer.objects.filter(code__in=[i["offer"] for i in includes])}
        for item in includes:
            update_or_create_changed(
                TierInclusion,
                tier=tier,
                offer=offers[item["offer"]],
                defaults={"units": item["units"]},
            )
        tier.inclusions.exclude(offer__code__in=list(offers)).delete()
    return tier, created


def load_fee_scheme(
    *,
    tier,
    year,
    kind,
    rate=None,
    minimum=None,
    maximum=None,
    flat_amount=None,
    category_amounts=None,
    bands=None,
):
    """One scheme per tier and year; reloading replaces every parameter (no stale minimum)."""
    scheme, _ = update_or_create_changed(
        FeeScheme,
        tier=tier,
        year=year,
        defaults={
            "kind": kind,
            "rate": rate,
            "minimum": minimum,
            "maximum": maximum,
            "flat_amount": flat_amount,
            "category_amounts": category_amounts or {},
            "bands": bands or [],
        },
    )
    return scheme


# --- Emails to the school ---------------------------------------------------------------


def _email_school(school, template, context, reminder_kind=None):
    """Email the school's users; for a reminder, only those who have not turned it off."""
    recipients = set(school_user_emails(school))
    if reminder_kind is not None:
        recipients = wants(recipients, reminder_kind)
    recipients = sorted(recipients)
    if not recipients:
        return 0
    context = {"school": school, "partnership": Partnership.current(), **context}
    subject = render_to_string(f"membership/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"membership/emails/{template}.txt", context)
    return send_mail(subject, body, None, recipients)


# --- The school's journey -----------------------------------------------------------------


def _open_membership(school, year, lock=False):
    found = Membership.objects.filter(school=school, year=year).exclude(
        status__in=Membership.CLOSED_STATUSES
    )
    if lock:
        found = found.select_for_update(of=("self",))
    return found.first()


def submit_expression_of_interest(*, school, year, intent, preferred_tier=None, notes="", by):
    """Record (or replace) the school's intent for the year. Yes or maybe puts the school on
    the coordinator's list as interested; no withdraws an interest not yet signed."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        expression, _ = ExpressionOfInterest.objects.update_or_create(
            school=school,
            year=year,
            defaults={
                "intent": intent,
                "preferred_tier": preferred_tier,
                "notes": notes,
                "submitted_by": by,
                "submitted_at": timezone.now(),
            },
        )
        membership = _open_membership(school, year, lock=True)
        if intent == ExpressionOfInterest.Intent.NO:
            if membership is not None and membership.status == Status.INTERESTED:
                membership.status = Status.WITHDRAWN
                membership.save()
        elif membership is None:
            Membership.objects.create(
                school=school,
                year=year,
                tier=preferred_tier,
                status=Status.INTERESTED,
                renewal_of=_previous_active(school, year),
            )
        elif membership.status == Status.INTERESTED and preferred_tier is not None:
            membership.tier = preferred_tier
            membership.save()
    return expression


def _previous_active(school, year):
    previous = str(AcademicYear(year.academic.start_year - 1))
    return (
        Membership.objects.filter(
            school=school, year__academic_year=previous, status__in=(Status.ACTIVE, Status.LAPSED)
        )
        .order_by("-pk")
        .first()
    )


def joining_date(year, on):
    """A school signing before the year starts joins on 1 September; after, on the day it signs."""
    return max(on, year.starts_on)


def _check_buy_back(membership, by, on):
    """A school changing its renewal must do it within the buy-back window; the coordinator
    may change one at any time (the rule for late changes)."""
    acting_for_school = by is not None and by.role == Role.HEADTEACHER
    if membership is None or membership.renewal_of_id is None or not acting_for_school:
        return
    year = membership.year  # as stored: the window may have moved since the page was read
    problem = rules.buy_back_problem(
        year_name=str(year), opens=year.buy_back_opens, closes=year.buy_back_closes, today=on
    )
    if problem:
        raise MembershipError(problem)


def sign_agreement(*, school, year, tier, purchase_order="", by, on=None):
    """The school signs the costed agreement: the membership is pending approval and the fee
    quote (amount, basis, pupils, census date) is frozen on it, computed from the year's fee
    scheme for the tier, the school's pupils at the census date and the joining date."""
    on = on or today()
    if on > year.ends_on:
        raise MembershipError(f"The {year} membership year has ended")
    with transaction.atomic():
        # Lock the school so two people signing at once cannot both create a membership.
        school = School.objects.select_for_update().get(pk=school.pk)
        membership = _open_membership(school, year, lock=True)
        if membership is not None and membership.status != Status.INTERESTED:
            raise MembershipError(
                f"{school.name} already has a {year} membership ({_status(membership)})"
            )
        _check_buy_back(membership, by, on)
        scheme = (
            FeeScheme.objects.filter(tier=tier, year=year).select_related("tier", "year").first()
        )
        if scheme is None:
            raise MembershipError(f"{tier.name} has no fee for {year}")
        joined_on = joining_date(year, on)
        quote = fee_quote(
            school=school, scheme=scheme, pupils=pupils_at_census(school, year), joined_on=joined_on
        )
        if not quote.ok:
            raise MembershipError(f"{tier.name} cannot be costed for {school.name}: {quote.error}")
        if membership is None:
            membership = Membership(
                school=school, year=year, renewal_of=_previous_active(school, year)
            )
        membership.tier = tier
        membership.status = Status.PENDING
        membership.purchase_order = purchase_order.strip()
        membership.joined_on = joined_on
        membership.fee_amount = quote.amount
        membership.fee_basis = quote.basis
        membership.fee_pupils = quote.pupils
        membership.fee_census_date = quote.census_date
        membership.signed_at = timezone.now()
        membership.signed_by = by
        membership.save()
    return membership


def withdraw(*, membership, by, on=None):
    """A school may withdraw a membership that is not yet approved (for a renewal: say it is
    leaving, within the buy-back window)."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_buy_back(membership, by, on or today())
        if membership.status not in (Status.INTERESTED, Status.PENDING):
            raise MembershipError(
                f"This membership is {membership.get_status_display().lower()}: "
                "only one not yet approved can be withdrawn"
            )
        membership.status = Status.WITHDRAWN
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save()
    return membership


# --- The coordinator's decisions --------------------------------------------------------------


def approve(*, membership, by):
    """Approving a signed membership makes it active (and invoiceable); the school is told.

    Listeners of `membership_approved` run in the same transaction (bookings made while
    it awaited approval are re-priced, with credit notes for what was invoiced)."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("school", "tier", "year")
            .get(pk=membership.pk)
        )
        if membership.status != Status.PENDING:
            raise MembershipError(
                "Only a membership awaiting approval can be approved "
                f"(this one is {_status(membership)})"
            )
        membership.status = Status.ACTIVE
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save()
        membership_approved.send(sender=Membership, membership=membership, by=by)
    _email_school(membership.school, "approved", {"membership": membership})
    return membership


def decline(*, membership, by, reason):
    """Declining needs a reason, which the school is sent."""
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError("Enter the reason for declining")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("school", "tier", "year")
            .get(pk=membership.pk)
        )
        if membership.status != Status.PENDING:
            raise MembershipError(
                "Only a membership awaiting approval can be declined "
                f"(this one is {_status(membership)})"
            )
        membership.status = Status.DECLINED
        membership.decline_reason = reason
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save()
    _email_school(membership.school, "declined", {"membership": membership})
    return membership


def offer_renewals(*, year, by):
    """Invite every active member of `year` to renew for the next year: a next-year membership,
    interested, in the same tier, with `renewal_of` set. Schools already holding a next-year
    membership are left alone, so offering twice invites nobody twice."""
    next_name = str(year.academic.next())
    next_year = MembershipYear.objects.filter(academic_year=next_name).first()
    if next_year is None:
        raise MembershipError(
            f"Load the partnership file for {next_name} (its year and fees) first"
        )
    created = []
    with transaction.atomic():
        taken = set(
            Membership.objects.filter(year=next_year)
            .exclude(status__in=Membership.CLOSED_STATUSES)
            .values_list("school_id", flat=True)
        )
        actives = (
            Membership.objects.select_for_update(of=("self",))
            .filter(year=year, status=Status.ACTIVE)
            .select_related("school", "tier")
        )
        for previous in actives:
            if previous.school_id in taken:
                continue
            created.append(
                Membership.objects.create(
                    school=previous.school,
                    year=next_year,
                    tier=previous.tier,
                    status=Status.INTERESTED,
                    renewal_of=previous,
                )
            )
    for membership in created:
        _email_school(
            membership.school,
            "renewal",
            {"membership": membership, "previous": membership.renewal_of},
        )
    return created


def set_buy_back_window(*, year, opens, closes, by):
    """The coordinator sets when members may renew for `year`, change membership or leave."""
    if opens > closes:
        raise MembershipError("The buy-back window must close on or after the day it opens")
    if closes >= year.starts_on:
        raise MembershipError(
            f"The buy-back window must close before {year} starts "
            f"({rules.long_date(year.starts_on)})"
        )
    with transaction.atomic():
        year = MembershipYear.objects.select_for_update().get(pk=year.pk)
        year.buy_back_opens = opens
        year.buy_back_closes = closes
        year._history_user = by
        year.save()
    return year


def send_buy_back_reminders(on=None) -> int:
    """Remind each school that has not answered its renewal as the window nears its close:
    the nearest reminder due (rules.REMINDER_DAYS_BEFORE), each sent once. Returns how many
    schools were reminded."""
    on = on or today()
    years = MembershipYear.objects.filter(buy_back_closes__gte=on).exclude(buy_back_opens__gt=on)
    sent = 0
    for year in years:
        due = [
            days
            for days in rules.REMINDER_DAYS_BEFORE
            if rules.reminder_due(closes=year.buy_back_closes, today=on, days_before=days)
        ]
        if not due:
            continue
        nearest = min(due)
        waiting = (
            Membership.objects.filter(year=year, status=Status.INTERESTED, renewal_of__isnull=False)
            .exclude(reminders__days_before__lte=nearest)
            .select_related("school", "tier", "year", "renewal_of__tier", "renewal_of__year")
        )
        for membership in waiting:
            with transaction.atomic():
                reminder, created = RenewalReminder.objects.get_or_create(
                    membership=membership, days_before=nearest
                )
                if not created:
                    continue
                reminder.recipients = _email_school(
                    membership.school,
                    "renewal_reminder",
                    {
                        "membership": membership,
                        "previous": membership.renewal_of,
                        "closes": rules.long_date(year.buy_back_closes),
                    },
                    reminder_kind="renewal_window",
                )
                reminder.save(update_fields=["recipients"])
            sent += 1
    return sent


def lapse_unrenewed(*, year, by, on=None):
    """Once a year has ended, its active memberships whose school signed nothing for the next
    year are marked lapsed. Returns how many."""
    on = on or today()
    if on <= year.ends_on:
        raise MembershipError(
            f"The {year} year has not ended yet (it ends on {rules.long_date(year.ends_on)})"
        )
    next_name = str(year.academic.next())
    with transaction.atomic():
        renewed = Membership.objects.filter(
            year__academic_year=next_name, status__in=(Status.PENDING, Status.ACTIVE)
        ).values_list("school_id", flat=True)
        lapsing = list(
            Membership.objects.select_for_update(of=("self",))
            .filter(year=year, status=Status.ACTIVE)
            .exclude(school_id__in=list(renewed))
        )
        for membership in lapsing:
            membership.status = Status.LAPSED
            membership.decided_at = timezone.now()
            membership.decided_by = by
            membership.save()
    return len(lapsing)
