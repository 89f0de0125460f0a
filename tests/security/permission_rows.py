"""Permission-matrix rows for the two-factor authentication pages (sosvet/security/).

tests/test_permissions.py checks that every URL pattern has a row; the rows are run by
tests/security/test_permissions.py. Same visitors and conventions as there: anonymous
visitors are sent to the sign-in page (302); the pages are about the visitor's own
account, so every signed-in visitor gets the same answer.

- ``two_factor``: the status and set-up page;
- the set-up, confirmation, switching off and new backup codes are POST only (405 to GET);
- ``two_factor_verify``, the second sign-in step, sends a visitor who has nothing to
  verify on to the dashboard (302).
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

SIGNED_IN = {ANON: LOGIN, MEMBER: 200, SECRETARY: 200, MAYOR: 200, OTHER: 200}
POST_ONLY = {ANON: LOGIN, MEMBER: 405, SECRETARY: 405, MAYOR: 405, OTHER: 405}

MATRIX_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "two_factor": ("none", SIGNED_IN),
    "two_factor_setup": ("none", POST_ONLY),
    "two_factor_confirm": ("none", POST_ONLY),
    "two_factor_disable": ("none", POST_ONLY),
    "two_factor_backup_codes": ("none", POST_ONLY),
    "two_factor_verify": ("none", dict.fromkeys(VISITORS, 302)),
}
