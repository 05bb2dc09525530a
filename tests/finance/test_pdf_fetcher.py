"""WeasyPrint reads only data: URLs and the portal's own static files while rendering a PDF:
a document that names a web address or a server file renders without it, nothing fetched."""

import base64
import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from finance.pdf import html_to_pdf

# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def web_server():
    """A real HTTP server on a free local port that counts the requests it answers."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()


def images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def page(*sources):
    return "<html><body><p>Invoice</p>" + "".join(f'<img src="{s}">' for s in sources) + "</body>"


def test_weasyprint_left_to_itself_would_fetch_the_address(web_server):
    """The control: without our fetcher the server below is asked, so the next test means it."""
    from weasyprint import HTML

    address, requests = web_server
    HTML(string=page(f"{address}/x.png")).write_pdf()
    assert requests == ["/x.png"]


def test_an_image_on_a_web_address_is_not_fetched(web_server):
    address, requests = web_server
    pdf = html_to_pdf(page(f"{address}/x.png", "http://127.0.0.1:1/x.png"))
    assert requests == []
    assert images(pdf) == 0
    assert pdf.startswith(b"%PDF")


def test_a_file_outside_the_static_files_is_not_read(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PIXEL)
    assert images(html_to_pdf(page(secret.as_uri(), "file:///etc/hostname"))) == 0


def test_data_urls_and_the_portals_static_files_are_used(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "crest.png").write_bytes(PIXEL)
    settings.STATICFILES_DIRS = [static]
    data = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    # A path that climbs out of the static folder is not a static file.
    escape = (static / ".." / "secret.png").as_uri()
    (tmp_path / "secret.png").write_bytes(PIXEL)
    assert images(html_to_pdf(page(data, (static / "crest.png").as_uri(), escape))) == 2
