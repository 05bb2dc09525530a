"""HTML to PDF with WeasyPrint, for every app's documents (invoices, reports, certificates).

Each app renders its own templates and keeps (or not) what it renders; this module only
makes the PDF and decides what the renderer may read.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings


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
