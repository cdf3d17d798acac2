"""PDFs may load Convene's own static files and nothing else."""

import io

import pytest
from pypdf import PdfReader

from config.pdf import RefusedResource, StaticOnlyURLFetcher, render_pdf

FETCHER = StaticOnlyURLFetcher()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/print.css",
        "https://example.org/font.woff",
        "static:../../config/settings.py",
        "static:/etc/passwd",
        "static:",
        "static:no-such-file.css",
        "data:text/plain,hello",
    ],
)
def test_the_url_fetcher_refuses_anything_outside_our_static_files(url):
    with pytest.raises(RefusedResource):
        FETCHER.fetch(url)


def test_the_url_fetcher_serves_our_print_stylesheet():
    response = FETCHER.fetch("static:print.css")
    assert b"@page" in response.read()


def test_a_pdf_renders_without_the_network_and_keeps_markup_as_text():
    pdf = render_pdf(
        '<html lang="en-GB"><head><title>T</title><link rel="stylesheet" href="static:print.css">'
        '<link rel="stylesheet" href="http://example.org/evil.css"></head>'
        "<body><p>&lt;script&gt;</p></body></html>",
        title="T",
    )
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "<script>" in text  # escaped markup is printed as the characters typed
    assert "Page 1 of 1" in text  # the footer comes from static:print.css, through our fetcher


def test_a_full_render_loads_nothing_from_files_or_the_network(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(FETCHER.static_path("static:govuk/images/govuk-icon-180.png").read_bytes())
    pdf = render_pdf(
        '<html lang="en-GB"><head><title>T</title>'
        '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">'
        '<style>p { background: url("file:///etc/passwd") }</style></head>'
        f'<body><p>Text</p><img src="file://{secret}" alt="x">'
        '<img src="http://169.254.169.254/x.png" alt="y"></body></html>',
        title="T",
    )
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert not page["/Resources"].get("/XObject")  # no image was loaded from anywhere
    assert "Text" in page.extract_text()


def test_the_same_render_does_embed_an_image_from_our_static_files():
    # The guard for the test above: an allowed image does show up as an XObject.
    pdf = render_pdf(
        '<html lang="en-GB"><head><title>T</title></head>'
        '<body><img src="static:govuk/images/govuk-icon-180.png" alt="x"></body></html>',
        title="T",
    )
    assert PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
