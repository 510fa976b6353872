import pytest

from tests.payroll.helpers import hr_user


@pytest.fixture
def hr(db):
    """An HR user (company-wide) without the demo organisation."""
    return hr_user()
