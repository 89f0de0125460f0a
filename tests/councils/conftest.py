"""Fixtures of the councils tests: English messages, the council's term, images."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings
from django.utils import translation
from PIL import Image


@pytest.fixture
def english():
    """Model and form messages are asserted in English (the UI defaults to Slovenian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def term(council):
    """The council's term of office 2022-12-01 – 2026-11-30 (made by the ``council`` fixture)."""
    return council.terms.get()


@pytest.fixture
def en_client(client, secretary):
    """The secretary, signed in, with English chosen through the language cookie."""
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def make_image():
    """Build an image file with Pillow; ``noise=True`` makes it incompressible (large)."""

    def make(image_format: str = "PNG", size: tuple[int, int] = (8, 8), noise: bool = False):
        if noise:
            image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
        else:
            image = Image.new("RGB", size, (200, 30, 30))
        buffer = io.BytesIO()
        image.save(buffer, format=image_format)
        return buffer.getvalue()

    return make
