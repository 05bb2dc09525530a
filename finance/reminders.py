"""Reminders finance sends (partnership/reminders.py): an invoice now overdue."""

import datetime

from partnership.money import format_money
from partnership.reminders import Reminder, ReminderKind
from partnership.roles import Role
from schools.selectors import invoice_recipients

from .selectors import invoices_with_status

INVOICE_OVERDUE = ReminderKind(
    kind="invoice_overdue",
    label="When one of your school's invoices is overdue (sent to its finance contact)",
    roles=(Role.HEADTEACHER,),
)
KINDS = (INVOICE_OVERDUE,)


def due(today: datetime.date):
    overdue = invoices_with_status(today).filter(status="overdue", school__isnull=False)
    for invoice in overdue:
        body = (
            f"Dear colleague,\n\nInvoice {invoice.number} to {invoice.school.name} was due on "
            f"{invoice.due_date.day} {invoice.due_date:%B %Y}, and {format_money(invoice.balance)} "
            "is still to pay.\n\nYou can see the invoice and download it on the partnership "
            "portal. If you have paid it already, thank you: payments take a few days to reach "
            "us.\n"
        )
        # To whoever its invoices go to (the finance contact first): a daily task, so one
        # query a school is fine here.
        for email in invoice_recipients(invoice.school):
            yield Reminder(
                kind=INVOICE_OVERDUE.kind,
                about=f"invoice:{invoice.pk}",
                email=email,
                subject=f"Invoice {invoice.number} is overdue",
                body=body,
            )
