"""The CSV import of safety indicators: check every line first, import nothing until all are valid.

The file (UTF-8, with or without a byte-order mark; comma, semicolon or tab between the
columns, chosen from the header line) has a header line naming the columns, in any order:

==============  ===============================================================
``municipality``  the founding municipality's name (as in the council) or its official code
``indicator``     the indicator's code (``crime_total`` …, or one of the council's own)
``year``          e.g. ``2025`` (from 1990 to next year)
``value``         a number ≥ 0 with a decimal comma or point (``12,5`` or ``12.5``);
                  percentages from 0 to 100; empty: the line is skipped
``note``          optional
==============  ===============================================================

Slovenian column names (``občina``, ``kazalnik``, ``leto``, ``vrednost``, ``opomba``) work
too; other columns are ignored. A value in the file replaces the stored one; the import
never deletes values.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from django.utils.translation import gettext

from sosvet.collation import by_name

from .models import (
    INDICATOR_FIRST_YEAR,
    Council,
    Indicator,
    Municipality,
    indicator_last_year,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 20_000
#: errors listed at most (the count of all of them is given too)
MAX_ERRORS = 500
NOTE_MAX_LENGTH = 250

COLUMNS = ("municipality", "indicator", "year", "value", "note")
REQUIRED_COLUMNS = ("municipality", "indicator", "year", "value")
TEMPLATE_COLUMNS = ("municipality", "indicator", "indicator_name", "year", "value", "note")
HEADER_ALIASES = {
    "municipality": {"municipality", "občina", "obcina"},
    "indicator": {"indicator", "indicator_code", "code", "kazalnik", "koda"},
    "year": {"year", "leto"},
    "value": {"value", "vrednost"},
    "note": {"note", "opomba"},
}
_ALIAS_TO_COLUMN = {alias: column for column, names in HEADER_ALIASES.items() for alias in names}

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(text: str) -> Decimal:
    """ "12,5", "12.5", "1 024", "-3" → Decimal; anything else raises ValueError.

    Spaces (also non-breaking ones) may group thousands; a dot or comma is always the
    decimal separator, so "1.024" is 1.024 (a count then asks for a whole number).
    """
    cleaned = _SPACES.sub("", text or "")
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc


def _key(text: str) -> str:
    return _SPACES.sub(" ", (text or "").strip()).casefold()


@dataclass(frozen=True)
class LineError:
    line: int
    column: str  # the column's name as in the file; empty for the whole line or file
    reason: str
    value: str = ""


@dataclass(frozen=True)
class ParsedRow:
    line: int
    indicator: Indicator
    municipality: Municipality
    year: int
    value: Decimal
    note: str


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    skipped: int = 0  # lines without a value
    delimiter: str = ";"

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: LineError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


def _sniff_delimiter(first_line: str) -> str:
    """The header has no numbers, so its separators are unambiguous."""
    if ";" in first_line:
        return ";"
    if "\t" in first_line:
        return "\t"
    return ","


def parse_indicator_csv(*, council: Council, data: bytes) -> ParseResult:
    """Check every line of the file; the result holds the valid rows or every error.

    Reads the council's municipalities and indicators once (two queries).
    """
    result = ParseResult()
    if len(data) > MAX_BYTES:
        result.add_error(
            LineError(0, "", gettext("The file is larger than %(size)s MB.") % {"size": 2})
        )
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.add_error(
            LineError(
                0,
                "",
                gettext(
                    "The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 "
                    "(comma delimited)”; in LibreOffice choose the character set “Unicode "
                    "(UTF-8)”."
                ),
            )
        )
        return result
    if not text.strip():
        result.add_error(LineError(0, "", gettext("The file is empty.")))
        return result
    first_line = next(line for line in text.splitlines() if line.strip())
    result.delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter)

    municipalities: dict[str, Municipality] = {}
    for municipality in council.municipalities.all():
        municipalities[_key(municipality.name)] = municipality
        if municipality.code:
            municipalities.setdefault(_key(municipality.code), municipality)
    indicators = {
        _key(i.code): i for i in Indicator.objects.available_to(council).order_by("position")
    }
    names = ", ".join(sorted(m.name for m in set(municipalities.values())))
    last_year = indicator_last_year()

    header: list[str] | None = None
    positions: dict[str, int] = {}
    seen: dict[tuple[int, int, int], int] = {}
    previous_line_end = 0
    lines = 0
    try:
        for record in reader:
            line = previous_line_end + 1
            previous_line_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines
            if header is None:
                header = [cell.strip() for cell in record]
                for index, name in enumerate(header):
                    column = _ALIAS_TO_COLUMN.get(_key(name))
                    if column is None:
                        continue  # other columns are ignored
                    if column in positions:
                        result.add_error(
                            LineError(
                                line,
                                name,
                                gettext("The column “%(column)s” appears twice.")
                                % {"column": name},
                            )
                        )
                    positions[column] = index
                for column in REQUIRED_COLUMNS:
                    if column not in positions:
                        result.add_error(
                            LineError(
                                line,
                                column,
                                gettext("The header has no column “%(column)s”.")
                                % {"column": column},
                            )
                        )
                if not result.is_valid:
                    return result
                continue
            lines += 1
            if lines > MAX_LINES:
                result.add_error(
                    LineError(
                        line,
                        "",
                        gettext("The file has more than %(count)s lines; split it.")
                        % {"count": MAX_LINES},
                    )
                )
                return result
            _parse_line(
                result,
                line=line,
                record=record,
                header=header,
                positions=positions,
                municipalities=municipalities,
                municipality_names=names,
                indicators=indicators,
                last_year=last_year,
                seen=seen,
            )
    except csv.Error as exc:
        result.add_error(
            LineError(
                previous_line_end or 1,
                "",
                gettext("The line cannot be read as CSV (%(error)s).") % {"error": exc},
            )
        )
    if header is None:  # pragma: no cover - a file of blank lines is empty above
        result.add_error(LineError(0, "", gettext("The file is empty.")))
    elif lines == 0:
        result.add_error(LineError(0, "", gettext("The file has a header but no lines.")))
    if not result.is_valid:
        result.rows = []
    return result


def _parse_line(
    result: ParseResult,
    *,
    line: int,
    record: list[str],
    header: list[str],
    positions: dict[str, int],
    municipalities: dict[str, Municipality],
    municipality_names: str,
    indicators: dict[str, Indicator],
    last_year: int,
    seen: dict[tuple[int, int, int], int],
) -> None:
    def cell(column: str) -> str:
        index = positions.get(column)
        if index is None or index >= len(record):
            return ""
        return record[index].strip()

    def error(column: str, reason: str) -> None:
        name = header[positions[column]] if column in positions else ""
        result.add_error(LineError(line, name, reason, cell(column)))

    raw_value = cell("value")
    if raw_value == "":
        result.skipped += 1  # e.g. a line of the template that was not filled in
        return
    errors_before = result.error_count

    municipality = None
    raw_municipality = cell("municipality")
    if raw_municipality == "":
        error("municipality", gettext("The municipality is missing."))
    else:
        municipality = municipalities.get(_key(raw_municipality))
        if municipality is None:
            error(
                "municipality",
                gettext(
                    "Unknown municipality “%(value)s”; the council's founding municipalities "
                    "are: %(names)s."
                )
                % {"value": raw_municipality, "names": municipality_names or "—"},
            )

    indicator = None
    raw_indicator = cell("indicator")
    if raw_indicator == "":
        error("indicator", gettext("The indicator code is missing."))
    else:
        indicator = indicators.get(_key(raw_indicator))
        if indicator is None:
            error(
                "indicator",
                gettext("Unknown indicator code “%(value)s”.") % {"value": raw_indicator},
            )

    year = None
    raw_year = cell("year")
    if raw_year == "":
        error("year", gettext("The year is missing."))
    elif not raw_year.isdigit():
        error("year", gettext("The year “%(value)s” is not a whole number.") % {"value": raw_year})
    else:
        year = int(raw_year)
        if not INDICATOR_FIRST_YEAR <= year <= last_year:
            error(
                "year",
                gettext("The year %(value)s is out of range (%(first)s–%(last)s).")
                % {"value": raw_year, "first": INDICATOR_FIRST_YEAR, "last": last_year},
            )
            year = None

    value = None
    try:
        value = parse_number(raw_value)
    except ValueError:
        error("value", gettext("“%(value)s” is not a number.") % {"value": raw_value})
    else:
        if value < 0:
            error("value", gettext("The value cannot be negative."))
            value = None
        elif indicator is not None:
            problem = indicator.check_value(value)
            if problem:
                error("value", problem)
                value = None

    note = cell("note")
    if len(note) > NOTE_MAX_LENGTH:
        error(
            "note",
            gettext("The note is longer than %(count)s characters.") % {"count": NOTE_MAX_LENGTH},
        )

    if result.error_count > errors_before:
        return
    key = (indicator.pk, municipality.pk, year)
    if key in seen:
        result.add_error(
            LineError(
                line,
                "",
                gettext(
                    "Duplicate line: line %(line)s already gives %(indicator)s for "
                    "%(municipality)s in %(year)s."
                )
                % {
                    "line": seen[key],
                    "indicator": indicator.code,
                    "municipality": municipality.name,
                    "year": year,
                },
            )
        )
        return
    seen[key] = line
    result.rows.append(
        ParsedRow(
            line=line,
            indicator=indicator,
            municipality=municipality,
            year=year,
            value=value,
            note=note,
        )
    )


def template_csv(*, council: Council, year: int, indicators: list[Indicator]) -> str:
    """A file to fill in: one line per founding municipality and indicator, values empty.

    With a byte-order mark and semicolons, so that a spreadsheet set to Slovenian opens it
    with the letters intact and writes decimal commas back.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for municipality in council.municipalities.order_by(
        *by_name("name", alphabet=council.alphabet)
    ):
        for indicator in indicators:
            label = str(indicator.label) + (f" ({indicator.unit})" if indicator.unit else "")
            writer.writerow([_cell(municipality.name), indicator.code, _cell(label), year, "", ""])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Typed text a spreadsheet must not take for a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def template_filename(*, council: Council, year: int) -> str:
    return f"{slugify(gettext('indicators'))}-{council.slug}-{year}.csv"
