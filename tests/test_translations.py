"""The Slovenian catalogue: every message translated, none left fuzzy; English wording."""

import re
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


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext is not installed")
def test_english_numbers_sessions_without_a_continental_ordinal():
    """English reads "session 2", not "2. session" (the Slovenian "2. seja" is the
    translation's business)."""
    entries = _messages("--translated")
    continental = [e for e in entries if re.search(r"msgid .*(%\(\w+\)s|\d)\. session", e)]
    assert continental == []
    assert any('msgid "Session %(number)s"' in e for e in entries)
