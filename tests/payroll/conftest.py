import pytest

from tests.payroll.helpers import hr_user


@pytest.fixture
def hr(db):
    """An HR user (company-wide) outside the persona organisation."""
    return hr_user()
