"""The Slovenian catalogue: every message translated, none left fuzzy."""

import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sl" / "LC_MESSAGES" / "django.po"


def _messages(*options: str) -> list[str]:
    """The msgids ``msgattrib`` selects with ``options`` (GNU gettext, a system package)."""
    output = subprocess.run(
        ["msgattrib", *options, "--no-obsolete", "--no-wrap", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = [block for block in output.split("\n\n") if "msgid " in block]
    return entries[1:]  # the first is the catalogue's header, printed with any entry


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("option", ["--untranslated", "--only-fuzzy"])
def test_every_message_has_a_slovenian_translation(option):
    assert _messages(option) == []
