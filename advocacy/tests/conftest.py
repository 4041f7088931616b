import pytest

from insights.models import TrackedTerm
from insights.tests.factories import TermFactory


@pytest.fixture
def brand_terms(channels):
    """Carl's Soda (the brand) and Bubbleton (a competitor), tracked; the test channels exist."""
    return TermFactory(), TermFactory(name="Bubbleton Cola", kind=TrackedTerm.Kind.COMPETITOR, query="bubbleton")
