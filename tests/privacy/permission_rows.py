"""Permission-matrix rows for the privacy and audit URLs.

tests/test_permissions.py checks that every URL pattern has a row, in its own MATRIX or
here; tests/privacy/test_permissions.py runs these rows.

- The council's audit log, a person's data export and erasure: the council's secretary
  (and chair) only; the export is POST only (it records an audit event).
- The installation's audit log: site administrators only (403 for everyone else signed in;
  tests/privacy/test_permissions.py checks that an administrator gets it).
- The privacy page: public.
"""

ANON, MEMBER, SECRETARY, MAYOR, OTHER = (
    "anonymous",
    "member",
    "secretary",
    "mayors_office",
    "other_secretary",
)
VISITORS = [ANON, MEMBER, SECRETARY, MAYOR, OTHER]
LOGIN = 302

PUBLIC = dict.fromkeys(VISITORS, 200)
COUNCIL_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 200, MAYOR: 403, OTHER: 404}
POST_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 405, MAYOR: 403, OTHER: 404}
SITE_ADMIN = {ANON: LOGIN, MEMBER: 403, SECRETARY: 403, MAYOR: 403, OTHER: 403}

MATRIX_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "privacy": ("none", PUBLIC),
    "audit_site": ("none", SITE_ADMIN),
    "councils:audit_list": ("council", COUNCIL_MANAGE),
    "councils:person_export": ("person", POST_MANAGE),
    "councils:person_erase": ("person", COUNCIL_MANAGE),
}

# State-changing POSTs. The secretary's answer: 200 for the export (the file) and for an
# erasure posted without confirmation (the form again, with its errors).
NOBODY_ELSE = {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}
POST_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "councils:person_export": ("person", {**NOBODY_ELSE, SECRETARY: 200}),
    "councils:person_erase": ("person", {**NOBODY_ELSE, SECRETARY: 200}),
}
