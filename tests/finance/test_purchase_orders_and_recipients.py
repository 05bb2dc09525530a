"""A booking's purchase order is printed on its own invoice line; invoices are emailed to
the school's finance contact, else its headteacher."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from finance.documents import email_invoices
from finance.services import run_monthly_bookings
from offers.models import Booking
from schools.models import SchoolContact

D = Decimal
pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)


def pdf_text(response):
    return "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )


def test_each_bookings_purchase_order_is_on_its_own_line_and_in_the_pdf(
    client_for, partnership_record, deliveries, school_a, head_a
):
    invoice, _ = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    # The SLE network was booked with PO-77, the adviser visit with none.
    assert [line.purchase_order for line in invoice.lines.all()] == ["PO-77", ""]
    text = pdf_text(client_for(head_a).get(reverse("finance:invoice_pdf", args=[invoice.pk])))
    assert text.count("Purchase order: PO-77") == 1
    # Printed under the network's line (its booking reference), before the visit's.
    first, second = (
        Booking.objects.get(pk=line.source.split(":")[1]).reference for line in invoice.lines.all()
    )
    assert text.index(first) < text.index("Purchase order: PO-77") < text.index(second)
    page = client_for(head_a).get(reverse("finance:invoice", args=[invoice.pk])).content.decode()
    assert "Purchase order: PO-77" in page


def test_invoices_are_emailed_to_the_finance_contact(
    partnership_record, deliveries, school_a, head_a
):
    SchoolContact.objects.create(
        school=school_a,
        name="Sam Okafor",
        email="sbm@alpha.example",
        role=SchoolContact.Role.BUSINESS_MANAGER,
        is_finance_contact=True,
    )
    invoice, _ = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert email_invoices([invoice.pk]) == 1
    [message] = mail.outbox
    assert message.to == ["sbm@alpha.example"]
    assert message.subject == f"Invoice {invoice.number}"
    assert message.attachments[0][0] == f"{invoice.number}.pdf"


def test_without_a_finance_contact_invoices_go_to_the_headteacher(
    partnership_record, deliveries, school_a, head_a
):
    SchoolContact.objects.create(
        school=school_a,
        name="Carol Chair",
        email="chair@alpha.example",
        role=SchoolContact.Role.CHAIR_OF_GOVERNORS,
    )
    invoice, _ = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert email_invoices([invoice.pk]) == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]
