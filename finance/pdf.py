"""Invoice, credit note and report PDFs, rendered with WeasyPrint from HTML templates.

A document is rendered once and kept (StoredPdf) so every download is the same file;
issued invoices and credit notes never change, so neither does their PDF.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from partnership.models import Partnership

from .models import CreditNote, Invoice, StoredPdf


def static_roots() -> list[Path]:
    """Where the portal's own static files are on disk (source and collected)."""
    return [Path(root).resolve() for root in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]]


def url_fetcher():
    """What WeasyPrint may read while rendering: `data:` URLs and the portal's own static
    files, from disk. A document carries text schools and GIAS wrote (names, notes); were
    it to smuggle in <img src="http://..."> or file:///etc/..., the renderer would otherwise
    request it from inside our network or read the server's files into a PDF."""
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url[:5].lower() == "file:":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in static_roots()):
                    raise ValueError(f"not one of the portal's static files: {url}")
            return super().fetch(url, headers)

    # Any other scheme (http, https, ftp) is refused before anything is opened.
    return StaticFilesOnly(allowed_protocols={"data", "file"}, allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads fonts and Pango on import

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()).write_pdf()


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
