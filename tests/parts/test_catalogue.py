"""R-9.1: the parts catalogue (配件数据库) — number, name, specification, unit, supplier."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aftersales.parts.models import Part


def test_r9_1_a_catalogue_entry_has_number_name_specification_unit_and_supplier(part):
    stored = Part.objects.select_related("supplier").get(number="T-001")
    assert (stored.name, stored.specification, stored.unit, stored.supplier.name) == (
        "测试继电器",
        "24V",
        "个",
        "测试配套厂",
    )


def test_r9_1_part_numbers_are_unique(part):
    with pytest.raises(IntegrityError), transaction.atomic():
        Part.objects.create(number="T-001", name="重复", unit="个")


def test_r9_1_the_catalogue_is_listed_in_the_api(api, part, stores):
    numbers = [row["number"] for row in api("keeper").get(reverse("api-parts:part-list")).json()["results"]]
    assert "T-001" in numbers
