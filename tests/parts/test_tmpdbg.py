import pytest
from aftersales.parts.models import Movement, Store
pytestmark = pytest.mark.django_db
def test_dbg(db):
    print("START", Movement.objects.count(), list(Store.objects.values_list("code", flat=True)))
def test_dbg2(stocked):
    print("AFTER", Movement.objects.count(), list(Movement.objects.values_list("reason", "store__code")[:5]))
