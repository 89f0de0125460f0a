"""Permission-matrix rows for the reports app's URLs.

tests/test_permissions.py checks that every URL pattern has a row, in its own MATRIX or
here; tests/reports/test_permissions.py runs these rows.

Same visitors and conventions as tests/test_permissions.py: anonymous visitors are sent
to the sign-in page (302), another council's secretary gets 404, a user of the council
without the page's permission gets 403, POST-only endpoints answer GET with 405.

Who may do what with reports:

- secretary (and chair): everything;
- mayor's office: reads and downloads every report, drafts included (watermarked), and
  changes nothing (403 on every edit, adoption, publication, correction);
- member: reads and downloads the adopted revisions only. A draft is the secretary's
  working copy, not yet a document of the council: its page, preview and PDF are 403 for
  members until it is adopted (tests/reports/test_permissions.py checks the adopted
  side). The reports list shows members the adopted reports only.

Each row: url name -> (what the URL points at, expected status per visitor). "draft" is
a draft report without revisions, "adopted" an adopted report, "revision" its revision 1.
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

COUNCIL_VIEW = {ANON: LOGIN, MEMBER: 200, SECRETARY: 200, MAYOR: 200, OTHER: 404}
COUNCIL_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 200, MAYOR: 403, OTHER: 404}
DRAFT_READ = {ANON: LOGIN, MEMBER: 403, SECRETARY: 200, MAYOR: 200, OTHER: 404}
POST_MANAGE = {ANON: LOGIN, MEMBER: 403, SECRETARY: 405, MAYOR: 403, OTHER: 404}

MATRIX_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "reports:report_list": ("council", COUNCIL_VIEW),
    "reports:report_create": ("council", COUNCIL_MANAGE),
    "reports:report_detail": ("draft", DRAFT_READ),
    "reports:report_edit": ("draft", COUNCIL_MANAGE),
    "reports:report_preview": ("draft", DRAFT_READ),
    "reports:report_pdf": ("draft", DRAFT_READ),
    "reports:revision_pdf": ("revision", COUNCIL_VIEW),
    "reports:report_adopt": ("draft", COUNCIL_MANAGE),
    "reports:report_publish": ("adopted", POST_MANAGE),
    "reports:report_reopen": ("adopted", COUNCIL_MANAGE),
    "reports:plan_sessions_create": ("draft", POST_MANAGE),
}

# What members may read once a report is adopted (the same URLs, on the adopted report).
MEMBER_ADOPTED_ROWS: dict[str, tuple[str, int]] = {
    "reports:report_detail": ("adopted", 200),
    "reports:report_preview": ("adopted", 200),
    "reports:report_pdf": ("adopted", 200),
    "reports:revision_pdf": ("revision", 200),
    "reports:report_edit": ("adopted", 403),
    "reports:report_reopen": ("adopted", 403),
}

# State-changing POSTs. The secretary's answer: 302 after the change, 200 when the posted
# form is invalid (shown again with its errors); nobody else changes anything.
NOBODY_ELSE = {ANON: LOGIN, MEMBER: 403, MAYOR: 403, OTHER: 404}
POST_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "reports:report_create": ("council", {**NOBODY_ELSE, SECRETARY: 200}),  # no year posted
    "reports:report_edit": ("draft", {**NOBODY_ELSE, SECRETARY: 200}),  # empty introduction
    "reports:report_adopt": ("draft", {**NOBODY_ELSE, SECRETARY: 200}),  # no date posted
    "reports:report_publish": ("adopted", {**NOBODY_ELSE, SECRETARY: 302}),
    "reports:report_reopen": ("adopted", {**NOBODY_ELSE, SECRETARY: 302}),
    "reports:plan_sessions_create": ("draft", {**NOBODY_ELSE, SECRETARY: 302}),
}
