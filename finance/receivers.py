"""What finance does when something happens elsewhere (connected in FinanceConfig.ready)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from offers.services_bookings import reprice_for_membership
from partnership.models import Partnership

from .documents import school_recipients
from .services import credit_repriced_bookings


def reprice_bookings_on_approval(sender, *, membership, by, **kwargs):
    """A membership approved: what the school booked while it waited is priced as a member's,
    what was already invoiced is credited, and the school is told what changed."""
    repricings = reprice_for_membership(
        school=membership.school,
        academic_year=membership.year.academic_year,
        tier=membership.tier,
        since=membership.signed_at,
    )
    if not repricings:
        return
    notes = credit_repriced_bookings(
        repricings=repricings,
        reason=f"Bookings re-priced: {membership.tier.name} {membership.year} approved",
        issue_date=timezone.localdate(),
        issued_by=by,
    )
    recipients = school_recipients(membership.school)
    if not recipients:
        return
    context = {
        "school": membership.school,
        "membership": membership,
        "repricings": repricings,
        "credit_notes": notes,
        "partnership": Partnership.current(),
    }
    body = render_to_string("finance/emails/repriced.txt", context)
    subject = f"Your bookings are re-priced for your {membership.tier.name}"
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
