"""The report's PDF: A4, title page, contents with page numbers, running header, page X of
Y, numbered headings, tables, signatures, embedded fonts, metadata, PDF/A, watermark."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from councils.models import Membership
from reports import annual

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory
from .conftest import adopt, assert_in_order, embedded_fonts, page_texts, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)  # points


def draft_pdf(report) -> bytes:
    return annual.report_pdf(
        council=report.council, snapshot=annual.report_snapshot(report=report), is_draft=True
    )


def in_language(language: str, message: str, context: str | None = None) -> str:
    with translation.override(language):
        return pgettext(context, message) if context else gettext(message)


@pytest.fixture
def english_report(council, report):
    council.language = "en"
    council.save()
    report.council.refresh_from_db()
    return report


def test_pdf_is_a4_pdf_a_2u_tagged_with_metadata(report):
    pdf = draft_pdf(report)

    reader = pdf_reader(pdf)
    root = reader.trailer["/Root"]
    assert len(reader.pages) > 1
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (
            round(A4[0], 1),
            round(A4[1], 1),
        )
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    with translation.override("sl"):
        title = annual.report_title(year=2023)
    assert reader.metadata.title == title
    assert reader.metadata.author == "Varnostni sosvet Mestne občine Ptuj"
    assert root["/Lang"] == "sl"


def test_pdf_fonts_are_embedded_truetype_subsets(report):
    fonts = embedded_fonts(draft_pdf(report))

    assert fonts
    assert all(font["FontFile2"] for font in fonts), fonts
    # Subsets carry a six-letter tag: ABCDEF+DejaVuSans.
    assert all(re.match(r"/[A-Z]{6}\+DejaVu", font["name"]) for font in fonts), fonts


def test_pdf_in_english_has_the_structure_of_the_model_document(english_report):
    pdf = draft_pdf(english_report)

    texts = page_texts(pdf)
    text = " ".join(texts)
    # Title page: council, year, title; no running header or page number on it.
    assert_in_order(
        texts[0],
        [
            "Varnostni sosvet Mestne občine Ptuj",
            "2023",
            "Report on the work of the safety council in 2023 and work plan of the safety "
            "council for 2024",
            "DRAFT OF",
        ],
    )
    assert "page 1 of" not in texts[0]
    # Contents, then the numbered sections in order.
    assert_in_order(
        text,
        [
            "Contents",
            "1. Report on the work of the safety council in 2023",
            "1.1. Introduction",
            "1.4. Conclusion of the report",
            "2. Work plan of the safety council for 2024",
            "2.2. Content plan",
            "1. REPORT ON THE WORK OF THE SAFETY COUNCIL IN 2023",
            "1.1. Introduction",
            "Varnostni sosvet je bil ustanovljen v letu 2003.",
            "1.2. Membership",
            "The council is chaired by Nuška Gajšek, županja Mestne občine Ptuj.",
            "Members are appointed for the term of office 2022 – 2026.",
            "In 2023 the council had 4 members (3 standing, 1 non-standing), representing 3 "
            "organisations.",
            "Mestna občina Ptuj",
            "Nuška Gajšek",
            "Chair",
            "Primož Korošak",
            "Policijska postaja Ptuj",
            "mag. Aleksander Lubej",
            "until 30/06/2023",
            "Osnovna šola Mladika",
            "Katja Ribič",
            "non-standing, from 01/03/2023, until 30/06/2023",
            "1.3. Sessions",
            "In 2023 the council held 2 sessions and adopted 4 conclusions.",
            "Session 1",
            "07/04/2023",
            "Konstituiranje varnostnega sosveta",
            "and 1 item not for the public",
            "Session 2",
            "17/10/2023",
            "Varnost v času decembrskih praznikov",
            "2 sessions were held.",
            "V letu 2023 sta bili izvedeni samo dve seji.",
            "Tasks adopted in 2023",
            "1.4. Conclusion of the report",
            "Stanje varnosti je rezultat dela več generacij.",
            "2. WORK PLAN OF THE SAFETY COUNCIL FOR 2024",
            "2.1. Implementation plan",
            "Session 3, March 2024",
            "Session 4, June 2024",
            "Session 5, November 2024",
            "2.2. Content plan",
            "Aktualna varnostna problematika (throughout the year).",
            "Priprave na novo šolsko leto (June).",
            "Presentation of the projects of Osnovna šola Mladika: Varne šolske poti.",
            "Prepared by:",
            "Primož KOROŠAK",
            "Nuška Gajšek",
            "županja Mestne občine Ptuj",
            "predsednica varnostnega sosveta",
        ],
    )
    assert "Potrditev zapisnika" not in text  # standing items are not topics
    assert "Obravnava posameznega primera" not in text  # nor items not for the public
    assert "Odpovedana seja" not in text and "Seja leta 2022" not in text
    assert "Bivši" not in text


def test_pdf_contents_point_to_the_right_pages(english_report):
    texts = page_texts(draft_pdf(english_report))

    contents = texts[1]
    for number, title in [
        ("1.1.", "Introduction"),
        ("1.2.", "Membership"),
        ("1.3.", "Sessions"),
        ("1.4.", "Conclusion of the report"),
        ("2.1.", "Implementation plan"),
        ("2.2.", "Content plan"),
    ]:
        match = re.search(rf"{re.escape(number)} {title} \.+ ?(\d+)", contents)
        assert match, (number, contents)
        page = int(match.group(1))
        assert f"{number} {title}" in texts[page - 1].split("Contents")[-1], (number, page)


def test_pdf_running_header_and_page_x_of_y(english_report):
    texts = page_texts(draft_pdf(english_report))

    total = len(texts)
    for number, text in enumerate(texts[1:], start=2):
        assert text.rstrip().endswith(f"page {number} of {total}")
        assert "Report 2023 and work plan 2024" in text
        assert "Varnostni sosvet Mestne občine Ptuj" in text


def test_draft_is_watermarked_and_the_adopted_revision_is_not(report, adoption_session):
    watermark = in_language("sl", "DRAFT", "watermark of a draft document")

    draft = draft_pdf(report)
    adopted = bytes(adopt(report, adoption_session).pdf)

    assert watermark in pdf_text(draft)
    assert watermark not in pdf_text(adopted)
    assert_in_order(
        pdf_text(adopted).replace("19. 3. 2024", "19/03/2024"),
        ["2023", "19/03/2024"],
    )


def test_pdf_keeps_slovenian_czech_and_norwegian_letters(council, report):
    organisation = OrganisationFactory(council=council, name="Koordinační skupina Přerov")
    for first, last, function in [
        ("Řehoř", "Ůlehla", "koordinátor"),
        ("Åse", "Ørstavik", "ordførar"),
        ("Ćiril", "Đurić", "član"),
    ]:
        MembershipFactory(
            council=council,
            person=PersonFactory(
                council=council, first_name=first, last_name=last, function=function
            ),
            organisation=organisation,
            start_date=datetime.date(2023, 2, 1),
            kind=Membership.Kind.STANDING,
        )

    text = pdf_text(draft_pdf(report))

    for word in [
        "Řehoř Ůlehla",
        "Åse Ørstavik",
        "ordførar",
        "Ćiril Đurić",
        "Koordinační skupina Přerov",
        "Nuška Gajšek",
        "šolske",
    ]:
        assert word in text or word.upper() in text, word


def test_user_text_is_printed_as_text_never_as_markup(council, report):
    report.intro_text = '<img src="http://example.com/x.png"><b>krepko</b> & <i>x</i>'
    report.save()

    html = annual.report_html(
        council=council, snapshot=annual.report_snapshot(report=report), is_draft=True
    )
    text = pdf_text(draft_pdf(report))

    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;" in html
    assert "<b>krepko</b>" not in html
    assert '<img src="http://example.com/x.png"><b>krepko</b> & <i>x</i>' in text


def test_title_page_carries_the_councils_logo(council, report, client, secretary):
    import io as _io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = _io.BytesIO()
    Image.new("RGB", (120, 60), (18, 53, 91)).save(buffer, "PNG")
    council.logo.save("grb.png", ContentFile(buffer.getvalue()))
    report.council.refresh_from_db()

    reader = pdf_reader(draft_pdf(report))
    client.force_login(secretary)
    preview = client.get(f"/c/{council.slug}/reports/{report.year}/preview/").content.decode()

    images = [
        name
        for name, obj in reader.pages[0]["/Resources"].get("/XObject", {}).items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert images, "the logo is not on the title page"
    assert f'class="title-logo" src="/c/{council.slug}/logo/"' in preview


def test_unwritten_required_texts_are_marked_in_the_draft(report):
    type(report).objects.filter(pk=report.pk).update(intro_text="", conclusion_text="")
    report.refresh_from_db()
    missing = in_language(
        "sl", "Not written yet: the council adopts the report only with this text."
    )

    pages = page_texts(draft_pdf(report))

    texts = " ".join(pages)
    assert texts.count(missing[:25]) == 2
    assert_in_order(
        texts,
        [
            in_language("sl", "Introduction"),
            missing[:25],
            in_language("sl", "Conclusion of the report"),
            missing[:25],
        ],
    )


def test_the_task_table_and_its_date_stay_on_one_page(report):
    title = in_language("sl", "Tasks adopted in %(year)s") % {"year": report.year}
    pages = page_texts(draft_pdf(report))
    [page] = [text for text in pages if title in text]
    status = in_language("sl", "Status on %(date)s.").split("%(date)s")[0].strip()
    assert status in page[page.index(title) :]
