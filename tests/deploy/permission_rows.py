"""Permission-matrix rows for the deployment URLs (run by tests/deploy/test_permissions.py).

``/health/`` is for monitoring: anyone may read it (it holds no personal data), and it
answers the same to every visitor.
"""

ANON, MEMBER, SECRETARY, MAYOR, OTHER = (
    "anonymous",
    "member",
    "secretary",
    "mayors_office",
    "other_secretary",
)
VISITORS = [ANON, MEMBER, SECRETARY, MAYOR, OTHER]

MATRIX_ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "health": ("none", dict.fromkeys(VISITORS, 200)),
}
