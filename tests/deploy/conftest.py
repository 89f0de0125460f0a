import datetime

import pytest

from ..factories import TermFactory


@pytest.fixture
def council(council):
    """The council with its next term as well: sessions are dated within a term of office,
    and the sessions the tests schedule from today on fall into it."""
    TermFactory(
        council=council,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2030, 11, 30),
    )
    return council
