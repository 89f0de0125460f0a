"""The document pipeline: template → HTML → WeasyPrint → PDF, and its URL fetcher."""

from __future__ import annotations

import copy
import io
import re
import socket
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from reports import documents
from reports.documents import (
    DocumentURLFetcher,
    ResourceRefused,
    document_url_fetcher,
    pdf_rendered,
    render_count,
    render_html,
    render_pdf,
)

from ..factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "reports_test/document.html"
LETTERS = "č š ž ć đ ř ů æ ø å"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """Make the test-only templates in tests/reports/templates/ loadable."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.fixture
def council(council):
    council.municipalities.add(
        MunicipalityFactory(name="Mestna občina Ptuj"), MunicipalityFactory(name="Hajdina")
    )
    return council


def pdf_of(council, *, language="sl", title="Vabilo na 3. sejo", **context):
    return render_pdf(
        template_name=TEMPLATE,
        context={"council": council, **context},
        title=title,
        author=council.name,
        language=language,
    )


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 90, 160, 128)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- The PDF ----------------------------------------------------------------------------


def test_render_pdf_returns_tagged_pdf_a_2u(council):
    pdf = pdf_of(council)

    assert pdf.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_render_pdf_without_variant_is_a_plain_tagged_pdf(council):
    pdf = render_pdf(
        template_name=TEMPLATE,
        context={"council": council},
        title="Zapisnik",
        author=council.name,
        language="sl",
        pdf_variant=None,
    )

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/Metadata" not in root
    assert root["/MarkInfo"]["/Marked"]


def test_render_pdf_text_keeps_council_and_letters_intact(council):
    [text] = page_texts(pdf_of(council))

    assert "Varnostni sosvet Mestne občine Ptuj" in text
    assert LETTERS in text
    assert LETTERS.upper() in text
    assert "Občini ustanoviteljici: Hajdina, Mestna občina Ptuj" in text


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [("sl", "stran 1 od 2", "stran 2 od 2"), ("en", "page 1 of 2", "page 2 of 2")],
)
def test_render_pdf_footer_counts_pages_in_document_language(council, language, first, second):
    # The interface language of whoever asks does not change the document's language.
    other = "en" if language == "sl" else "sl"
    with translation.override(other):
        texts = page_texts(pdf_of(council, language=language, extra_pages=["Sklepi"]))

    assert len(texts) == 2
    assert texts[0].endswith(first)
    assert texts[1].endswith(second)
    absent = "stran" if language == "en" else "page"
    assert absent not in " ".join(texts)


def test_render_pdf_running_header_from_second_page(council):
    first, second = page_texts(pdf_of(council, extra_pages=["Sklepi"]))

    # The first page has the letterhead instead of the running header.
    assert first.count("Varnostni sosvet Mestne občine Ptuj") == 1
    assert "Varnostni sosvet Mestne občine Ptuj" in second
    assert "Vabilo na 3. sejo" in second


def test_render_pdf_embeds_font_subsets(council):
    reader = PdfReader(io.BytesIO(pdf_of(council)))
    fonts = reader.pages[0]["/Resources"]["/Font"]

    embedded = {}
    for font in fonts.values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded[str(font["/BaseFont"])] = "/FontFile2" in descriptor or "/FontFile3" in descriptor

    assert embedded
    assert all(embedded.values())
    # Subsets carry a six-letter tag: "/ABCDEF+DejaVu-Sans".
    assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVu-Sans.*", name) for name in embedded)


@pytest.mark.parametrize("language", ["sl", "en"])
def test_render_pdf_sets_metadata(council, language):
    pdf = pdf_of(council, language=language, title="Letno poročilo 2025")

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Letno poročilo 2025"
    assert reader.metadata.author == "Varnostni sosvet Mestne občine Ptuj"
    assert reader.trailer["/Root"]["/Lang"] == language
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "Letno poročilo 2025" in xmp


def test_render_pdf_draws_the_council_logo(council):
    council.logo.save("grb.png", ContentFile(png_bytes()))

    reader = PdfReader(io.BytesIO(pdf_of(council)))

    x_objects = reader.pages[0]["/Resources"]["/XObject"]
    images = [x.get_object() for x in x_objects.values()]
    assert [image["/Subtype"] for image in images] == ["/Image"]
    assert images[0]["/Width"] == 40


def test_render_pdf_draft_shows_translated_watermark(council):
    [text] = page_texts(pdf_of(council, is_draft=True))
    assert "OSNUTEK" in text

    [text] = page_texts(pdf_of(council, is_draft=True, language="en"))
    assert "DRAFT" in text


def test_render_pdf_toc_shows_target_page(council):
    texts = page_texts(pdf_of(council, toc=True, extra_pages=["Sklepi", "Naloge"]))

    assert len(texts) == 3
    assert re.search(r"Sklepi\s*\.{3,}\s*2", texts[0])
    assert re.search(r"Naloge\s*\.{3,}\s*3", texts[0])


def test_render_pdf_counts_each_render_once(council):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    pdf_rendered.connect(receiver)
    try:
        before = render_count()
        pdf_of(council)
        assert render_count() == before + 1
        pdf_of(council, extra_pages=["Sklepi"])
        assert render_count() == before + 2
    finally:
        pdf_rendered.disconnect(receiver)

    assert [kwargs["template_name"] for kwargs in seen] == [TEMPLATE, TEMPLATE]
    assert all(kwargs["size"] > 1000 and kwargs["seconds"] > 0 for kwargs in seen)


def test_render_html_never_counts_as_pdf_render(council):
    before = render_count()
    render_html(template_name=TEMPLATE, context={"council": council})
    assert render_count() == before


# --- User text never makes the renderer fetch anything ------------------------------------


def test_render_pdf_user_html_with_remote_urls_renders_without_network(
    council, monkeypatch, caplog, settings
):
    connections = []

    def no_network(*args, **kwargs):
        connections.append(args)
        raise AssertionError("the document renderer opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)

    fetched = []
    original_fetch = DocumentURLFetcher.fetch

    def spying_fetch(self, url, headers=None):
        try:
            response = original_fetch(self, url, headers)
        except ResourceRefused:
            fetched.append((url, "refused"))
            raise
        fetched.append((url, "read"))
        return response

    monkeypatch.setattr(DocumentURLFetcher, "fetch", spying_fetch)
    user_html = (
        '<p>Predlog občana</p><img src="http://127.0.0.1:1/x">'
        '<img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.org/evil.css">'
        '<div style="background-image: url(ftp://127.0.0.1:1/bg.png)">ozadje</div>'
    )

    pdf = pdf_of(council, user_html=user_html)

    assert pdf.startswith(b"%PDF")
    [text] = page_texts(pdf)
    assert "Predlog občana" in text
    assert "Varnostni sosvet Mestne občine Ptuj" in text
    assert connections == []
    assert ("http://127.0.0.1:1/x", "refused") in fetched
    assert ("file:///etc/passwd", "refused") in fetched
    assert ("https://example.org/evil.css", "refused") in fetched
    assert ("ftp://127.0.0.1:1/bg.png", "refused") in fetched
    # The project's own stylesheet was read from disk, on the site's origin.
    assert (f"{settings.SITE_URL}/static/css/print.css", "read") in fetched
    assert "Document resource refused: http://127.0.0.1:1/x" in caplog.text


# --- The URL fetcher ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/static/css/print.css",
        "http://127.0.0.1:1/x",
        "http://127.0.0.1:1/static/css/print.css",  # the site's host, another port
        "file:///etc/passwd",
        "ftp://example.org/x.png",
        "//example.org/static/css/print.css",
        "/media/../../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/logos/..%2f..%2f..%2fetc/passwd",
        "http://127.0.0.1:8000/media/../../etc/passwd",  # SITE_URL in the tests
        "/static/../sosvet/settings.py",
        "/static/css/missing.css",
        "/etc/passwd",
        "relative/path.png",
        "data:not a data url",
    ],
)
def test_document_url_fetcher_refuses(url):
    with pytest.raises(ResourceRefused):
        document_url_fetcher().fetch(url)


def test_document_url_fetcher_reads_static_files(settings):
    fetcher = document_url_fetcher()

    for url in ("/static/css/print.css", f"{settings.SITE_URL}/static/css/print.css"):
        response = fetcher.fetch(url)
        assert response.content_type == "text/css"
        assert b"@page" in response.read()


def test_document_url_fetcher_reads_collected_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    (settings.STATIC_ROOT / "css").mkdir(parents=True)
    (settings.STATIC_ROOT / "css" / "print.0123abcd.css").write_text("@page { size: A4 }")

    response = document_url_fetcher().fetch("/static/css/print.0123abcd.css")

    assert response.read() == b"@page { size: A4 }"


def test_document_url_fetcher_reads_media_files(settings):
    logo = Path(settings.MEDIA_ROOT) / "logos" / "grb.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(png_bytes())

    response = document_url_fetcher().fetch("/media/logos/grb.png")

    assert response.content_type == "image/png"
    assert response.read() == png_bytes()


def test_document_url_fetcher_refuses_symlink_out_of_media_root(settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("geslo")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "link.txt").symlink_to(secret)

    with pytest.raises(ResourceRefused):
        document_url_fetcher().fetch("/media/link.txt")


def test_document_url_fetcher_decodes_data_urls():
    response = document_url_fetcher().fetch("data:text/css;charset=utf-8,p%20%7B%7D")

    assert response.content_type == "text/css"
    assert response.read() == b"p {}"


# --- The HTML preview ---------------------------------------------------------------------


def test_render_html_preview_has_no_inline_styles_for_csp(council):
    html = render_html(
        template_name=TEMPLATE,
        context={"council": council, "is_draft": True},
        title="Vabilo na 3. sejo",
        author=council.name,
        language="sl",
    )

    assert 'href="/static/css/print.css"' in html
    assert "<style" not in html
    assert "style=" not in html
    assert '<html lang="sl">' in html
    assert "<title>Vabilo na 3. sejo</title>" in html
    assert 'data-page-before="stran "' in html
    assert 'data-page-between=" od "' in html
    assert 'data-watermark="OSNUTEK"' in html
    assert 'class="document draft' in html


def test_page_label_falls_back_to_english_on_a_broken_translation(monkeypatch):
    monkeypatch.setattr(documents, "pgettext", lambda context, message: "Seite %(seite)s")

    assert documents._page_label_parts() == {"before": "page ", "between": " of ", "after": ""}
