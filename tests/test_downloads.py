"""sosvet.downloads: the one way the portal answers with a file it makes."""

import pytest

from sosvet.downloads import file_response


def test_a_download_is_saved_under_its_name():
    response = file_response(b"a;b\n", content_type="text/csv; charset=utf-8", filename="x.csv")

    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content == b"a;b\n"


def test_an_inline_file_keeps_a_name_with_slovenian_letters():
    response = file_response(
        b"%PDF-", content_type="application/pdf", filename="poročilo-2024.pdf", inline=True
    )

    assert response["Content-Disposition"] == "inline; filename*=utf-8''poro%C4%8Dilo-2024.pdf"


@pytest.mark.django_db
def test_every_response_is_never_sniffed(client):
    """The header the downloads rely on comes from SecurityMiddleware, on every page."""
    assert client.get("/health/")["X-Content-Type-Options"] == "nosniff"
