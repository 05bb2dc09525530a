"""What finance holds about a person (partnership.personal_data).

Invoices, credit notes and payments name schools, not people; the account that issued or
recorded one stays on it as a pointer (anonymised when the person is erased) and the
records themselves are never edited. The address an invoice was emailed to is part of
the record that it was sent, kept with the invoice for the council's six years.
"""

from django.db.models import Q

from .models import Invoice, InvoiceEmail, Payment


def held(subject):
    from partnership.personal_data import Section

    sections = []
    if subject.email.strip():
        emails = [
            {"invoice": e.invoice.number, "sent to": e.sent_to, "sent": e.sent_at}
            for e in InvoiceEmail.objects.filter(
                Q(sent_to__icontains=subject.email.strip())
            ).select_related("invoice")
        ]
        sections.append(
            Section(
                "Invoices emailed to them",
                emails,
                "Kept with the invoice, a financial record (six years)",
            )
        )
    if subject.user is not None:
        issued = [
            {"invoice": number, "issued": issued}
            for number, issued in Invoice.objects.filter(issued_by=subject.user)
            .order_by("number")
            .values_list("number", "issue_date")
        ]
        payments = [
            {"invoice": p.invoice.number, "received": p.received_on, "amount": p.amount}
            for p in Payment.objects.filter(recorded_by=subject.user)
            .select_related("invoice")
            .order_by("received_on")
        ]
        kept = "Kept unchanged, naming the anonymised account"
        sections.append(Section("Invoices they issued", issued, kept))
        sections.append(Section("Payments they recorded", payments, kept))
    return sections


def refusals(subject, today):
    return []


def erase(subject) -> int:
    return 0
