"""The machinery of the form fuzz test (tests/security/test_fuzz_forms.py).

- ``discover_form_classes()`` finds every Form, ModelForm and formset class defined in
  the project's packages;
- ``views_taking_input()`` walks the URL patterns for every view that accepts a POST,
  has a ``form_class`` or reads the query string;
- ``page_fields()`` reads the fields of the real form on the rendered page (names,
  choices, current values, file inputs), so that the fuzzer posts what a browser would —
  and everything a browser would not;
- ``field_values()`` is the hypothesis strategy of hostile values;
- ``snapshot()`` digests every table, to prove that refused input changed nothing.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.formsets import BaseFormSet
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st

PACKAGES = ("councils", "sessions", "reports", "sosvet")
SKIPPED_MODULE_PARTS = {"migrations", "management", "settings", "settings_test", "wsgi", "asgi"}

# --- discovery ------------------------------------------------------------------------


def project_modules():
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if SKIPPED_MODULE_PARTS & set(info.name.split(".")):
                continue
            yield importlib.import_module(info.name)


def discover_form_classes() -> set[type]:
    """Every form and formset class defined in the project (not imported from Django)."""
    found = set()
    for module in project_modules():
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ != module.__name__:
                continue
            if issubclass(obj, forms.BaseForm | BaseFormSet):
                found.add(obj)
    return found


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def _project_code(callback) -> list:
    """The classes (or the function) of the project behind a URL's callback."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None and not inspect.isfunction(callback):
        view_class = type(callback)  # a callable instance, e.g. a feed
    if view_class is None:
        return [callback] if callback.__module__.split(".")[0] in PACKAGES else []
    return [k for k in view_class.__mro__ if k.__module__.split(".")[0] in PACKAGES]


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _code_objects(const)


@functools.cache
def _attributes_read(obj) -> frozenset[str]:
    """Attribute names the functions of a class (or a function) read: "GET", "POST"…"""
    functions = [obj] if inspect.isfunction(obj) else list(vars(obj).values())
    names: set[str] = set()
    for function in functions:
        function = getattr(function, "__func__", function)
        code = getattr(function, "__code__", None)
        if code is not None:
            for each in _code_objects(code):
                names.update(each.co_names)
    return frozenset(names)


def views_taking_input(skipped_namespaces=("admin",)) -> dict[str, set[str]]:
    """URL name -> what the view takes: "post", "form", "query" (reads request.GET)."""
    result: dict[str, set[str]] = {}
    for name, callback in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in skipped_namespaces:
            continue
        takes: set[str] = set()
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            if hasattr(view_class, "post") and "post" in view_class.http_method_names:
                takes.add("post")
            if getattr(view_class, "form_class", None) is not None:
                takes.add("form")
        for code in _project_code(callback):
            read = _attributes_read(code)
            if "GET" in read:
                takes.add("query")
            if "POST" in read or "FILES" in read:
                takes.add("post")
        if takes:
            result[name] = takes
    return result


# --- the real form on the page ----------------------------------------------------------


@dataclass
class PageField:
    name: str
    kind: str = "text"  # text, choice, multiple, file
    options: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    action: str
    method: str
    fields: dict[str, PageField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: PageField | None = None

    def _field(self, name: str, kind: str = "text") -> PageField:
        fields = self._form.fields
        if name not in fields:
            fields[name] = PageField(name=name, kind=kind)
        return fields[name]

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                self._field(a["name"], "file")
            elif kind in ("checkbox", "radio"):
                f = self._field(a["name"], "multiple" if kind == "checkbox" else "choice")
                f.options.append(a.get("value", "on"))
            else:
                f = self._field(a["name"])
                if a.get("value"):
                    f.options.append(a["value"])
        elif tag == "textarea":
            self._field(a["name"])
        elif tag == "select":
            self._select = self._field(a["name"], "multiple" if "multiple" in a else "choice")
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_fields(html: str, *, page_path: str, target_path: str, method: str) -> dict:
    """The fields of the page's forms that send to ``target_path`` with ``method``."""
    parser = _FormParser()
    parser.feed(html)
    fields: dict[str, PageField] = {}
    for form in parser.forms:
        action = urlsplit(form.action).path or page_path
        if form.method == method and action == target_path:
            fields.update(form.fields)
    return fields


# --- hostile values ---------------------------------------------------------------------

LONG = "Varnost " * 3_200  # 25 600 characters: beyond every max_length (20 000)
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "Sosvet\x00",
    "a\x01b\x02c\x1f",
    "\x7f\x85\x9f",
    "tab\tnew\nline\r\nreturn\r",
    "\n" * 500,
    "\ufeffBOM",
    "\u202etxet desrever",
    "\ufffe\uffff",
    "\u200b\u200c\u200d",
    "e\u0301" * 300,
    "😀👨‍👩‍👧‍👦🏳️‍🌈",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ǅİßﬀ",
    "مجلس الأمن",
    "čšžćđ ČŠŽĆĐ řůæøå",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request }}{% debug %}",
    "' OR 1=1 --",
    "%s%s%s%n%(x)s{0}",
    "../../../../etc/passwd",
    "C:\\Windows\\win.ini",
    "a" * 256,
    "č" * 5001,
    LONG,
    "x@y",
    "@",
    "a" * 300 + "@example.test",
    "Name <a@example.test>, Org\nBad <not-an-address>",
    "http://",
    "https://example.test/" + "a" * 3000,
]
HOSTILE_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1.5",
    "1,5",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "9" * 400,
    "9" * 5000,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "0x1F",
    "1_000",
    " 12 ",
    "١٢٣",
    "²",
    "½",
    "1\x00",
]
HOSTILE_DATES = [
    "0000-00-00",
    "0001-01-01",
    "1900-01-01",
    "1969-12-31",
    "2026-02-29",
    "2024-02-30",
    "2026-13-01",
    "9999-12-31",
    "10000-01-01",
    "-1-01-01",
    "31. 12. 2026",
    "12/31/2026",
    "2026-01-01T25:61",
    "2026-01-01T00:00",
    "9999-12-31T23:59",
    "24:00",
    "23:59",
    "99:99",
    "00:00:00.0000001",
    "2026-06-15\x00",
]

_characters = st.characters(exclude_categories=("Cs",))


def _scalar(options: list[str]) -> st.SearchStrategy[str]:
    choices = [
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(HOSTILE_NUMBERS),
        st.sampled_from(HOSTILE_DATES),
        st.text(_characters, max_size=60),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(lambda d: d.isoformat()),
    ]
    if options:
        # The page's own values (valid choices, current values) are tried as often as the
        # hostile ones, so that valid and half-valid submissions happen too.
        choices = [st.sampled_from(options)] * 3 + choices
    # A NUL in an otherwise good value: PostgreSQL refuses it outright.
    choices.append(st.one_of(*choices).map(lambda value: value[:40] + "\x00"))
    return st.one_of(*choices)


OMIT = object()


def _upload(pair) -> SimpleUploadedFile:
    name, content = pair
    return SimpleUploadedFile(name, content)


UPLOAD_NAMES = [
    "gradivo.pdf",
    "slika.png",
    "zapisnik.docx",
    "podatki.csv",
    "../../../etc/passwd",
    "a" * 300 + ".pdf",
    "brez-končnice",
    "skripta.html",
    "<script>.pdf",
    "nič\x01.pdf",
]
UPLOAD_CONTENTS = [
    b"",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"PK\x03\x04" + b"\x00" * 64,
    b"<html><script>alert(1)</script></html>",
    b"municipality;indicator;year;value\nPtuj;criminal_offences;2024;12\n",
    "občina,kazalnik,leto,vrednost\n\x00,\x00,-1,1e309\n".encode(),
    b"\xff\xfe\x00\x00garbage",
]


def field_values(page_field: PageField) -> st.SearchStrategy:
    if page_field.kind == "file":
        upload = st.tuples(
            st.sampled_from(UPLOAD_NAMES),
            st.one_of(st.sampled_from(UPLOAD_CONTENTS), st.binary(max_size=512)),
        ).map(_upload)
        return st.one_of(st.just(OMIT), upload)
    scalar = _scalar(page_field.options)
    if page_field.kind == "multiple":
        return st.one_of(st.just(OMIT), scalar, st.lists(scalar, max_size=4))
    # Mostly one value; sometimes the same name twice (the last one counts).
    return st.one_of(st.just(OMIT), scalar, scalar, st.lists(scalar, min_size=2, max_size=2))


def submission(fields: dict[str, PageField], extra_names=()) -> st.SearchStrategy[dict]:
    names = dict(fields)
    for name in extra_names:
        names.setdefault(name, PageField(name=name))
    strategies = {name: field_values(f) for name, f in sorted(names.items())}
    return st.fixed_dictionaries(strategies).map(
        lambda data: {k: v for k, v in data.items() if v is not OMIT}
    )


# --- did anything change? ---------------------------------------------------------------

ALWAYS_VOLATILE = {"django_session"}


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _plain(value):
    # PostgreSQL returns binary columns as memoryview, whose repr is an address.
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot(volatile: set[str]) -> dict[str, str]:
    """A digest of every table's rows (order-independent), except the volatile ones."""
    digests = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            if table in volatile or table in ALWAYS_VOLATILE or table.startswith("axes_"):
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names)
            rows = sorted(repr(tuple(map(_plain, row))) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


# --- was the input refused? -------------------------------------------------------------


def _bound_forms(value, depth=0):
    if depth > 3:
        return
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, BaseFormSet):
        yield value
        yield from value.forms
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _bound_forms(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _bound_forms(item, depth + 1)


def context_forms(response) -> list:
    found = []
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values():
                found.extend(_bound_forms(value))
    return found


def refused(response) -> bool:
    """The application refused the input: an error status, a form shown again with its
    errors, or (POST-only buttons) a redirect with an error message."""
    if response.status_code >= 400:
        return True
    for form in context_forms(response):
        if isinstance(form, BaseFormSet):
            if form.is_bound and (form.non_form_errors() or any(form.errors)):
                return True
        elif form.is_bound and form.errors:
            return True
    if 300 <= response.status_code < 400:
        stored = getattr(response.wsgi_request, "_messages", None)
        queued = getattr(stored, "_queued_messages", []) if stored is not None else []
        return any(m.level >= messages.ERROR for m in queued)
    return False
