"""The only place Convene renders PDFs (WeasyPrint), and the only resources a PDF may load.

A PDF may use Convene's own static files (the print stylesheet, images) and nothing else: no
file on the server outside them, no network. Everything else is refused before it is opened.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:"


class RefusedResource(ValueError):
    """A PDF asked for something outside Convene's static files."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``static:<path>`` from the static files; refuses every other URL."""

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mimetypes.guess_type(path.name)[0] or "text/plain"},
        )

    @staticmethod
    def static_path(url: str) -> Path:
        if not url.startswith(STATIC_PREFIX):
            scheme = urlparse(url).scheme or "relative"
            raise RefusedResource(f"PDFs may only load Convene's static files, not {scheme} URLs")
        relative = unquote(url[len(STATIC_PREFIX) :]).lstrip("/")
        if not relative or ".." in Path(relative).parts:
            raise RefusedResource("PDFs may only load Convene's static files")
        found = finders.find(relative)
        if found is None:
            raise RefusedResource("No such static file")
        path = Path(found).resolve()
        roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
        if not any(path.is_relative_to(root) for root in roots):
            raise RefusedResource("PDFs may only load Convene's static files")
        return path


def render_pdf(html: str, *, title: str) -> bytes:
    """Render trusted, already-escaped HTML to a tagged PDF (PDF/UA) with embedded fonts."""
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyURLFetcher())
    # The title comes from the document's <title>; ``title`` names it for callers and logs.
    del title
    return document.write_pdf(pdf_variant="pdf/ua-1")
