import pytest

from ..factories import with_next_term


@pytest.fixture
def council(council):
    return with_next_term(council)
