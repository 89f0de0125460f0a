"""Permission-matrix rows for the public pages (namespace ``public``, under /javno/).

tests/test_permissions.py checks that every URL pattern has a row, in its own MATRIX or
here; tests/public/test_permissions.py runs these rows.

The public pages need no sign-in: every visitor — anonymous, a member, the secretary, the
mayor's office and another council's secretary — gets the same answer. A council whose
public page is not published answers 404 to everyone on every public URL (also tested
there), exactly like a council that does not exist.

Each row: url name -> (what the URL points at, expected status per visitor). "session" is
a held session with published minutes, "report" a published report's year.
"""

ANON, MEMBER, SECRETARY, MAYOR, OTHER = (
    "anonymous",
    "member",
    "secretary",
    "mayors_office",
    "other_secretary",
)
VISITORS = [ANON, MEMBER, SECRETARY, MAYOR, OTHER]

PUBLIC = dict.fromkeys(VISITORS, 200)

MATRIX_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "public:index": ("none", PUBLIC),
    "public:council": ("council", PUBLIC),
    "public:session": ("session", PUBLIC),
    "public:report": ("report", PUBLIC),
    "public:report_pdf": ("report", PUBLIC),
    "public:calendar": ("council", PUBLIC),
    "public:feed": ("council", PUBLIC),
}
