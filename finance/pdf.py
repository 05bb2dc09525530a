"""Invoice, credit note and report PDFs, rendered with WeasyPrint from HTML templates.

A document is rendered once and kept (StoredPdf) so every download is the same file;
issued invoices and credit notes never change, so neither does their PDF.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from partnership.models import Partnership
from partnership.pdf import html_to_pdf, static_roots, url_fetcher  # noqa: F401 (used here and by tests)

from .models import CreditNote, Invoice, StoredPdf


def render_pdf(template: str, context: dict) -> bytes:
    context = {"partnership": Partnership.current(), **context}
    return html_to_pdf(render_to_string(template, context))


def invoice_context(invoice: Invoice) -> dict:
    return {"invoice": invoice, "lines": list(invoice.lines.all()), "school": invoice.school}


def credit_note_context(note: CreditNote) -> dict:
    return {
        "note": note,
        "invoice": note.invoice,
        "lines": list(note.lines.all()),
        "school": note.invoice.school,
    }


def invoice_key(invoice) -> str:
    return f"invoice:{invoice.pk}"


def credit_note_key(note) -> str:
    return f"credit-note:{note.pk}"


def stored_pdf(key: str, build) -> StoredPdf:
    """The stored PDF for this key, rendering it with build() the first time."""
    existing = StoredPdf.objects.filter(key=key).first()
    if existing is not None:
        return existing
    content = build()
    try:
        with transaction.atomic():
            pdf = StoredPdf(key=key)
            pdf.file.save(f"{key.replace(':', '-')}.pdf", ContentFile(content), save=True)
            return pdf
    except IntegrityError:
        # Rendered at the same moment by another worker: theirs is the same document.
        return StoredPdf.objects.get(key=key)


def invoice_pdf(invoice: Invoice) -> StoredPdf:
    return stored_pdf(
        invoice_key(invoice),
        lambda: render_pdf("finance/pdf/invoice.html", invoice_context(invoice)),
    )


def credit_note_pdf(note: CreditNote) -> StoredPdf:
    return stored_pdf(
        credit_note_key(note),
        lambda: render_pdf("finance/pdf/credit_note.html", credit_note_context(note)),
    )
